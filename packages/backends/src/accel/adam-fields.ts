import * as tf from '@tensorflow/tfjs';

/** The AdamOptimizer fields tfjs 4.22 keeps (protected in its typings), which the fused updates read and write. */
export interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

/** What `applyGradients` takes. */
export type Grads = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];

/** `tf.AdamOptimizer.prototype.applyGradients`. */
export type Apply = (this: tf.AdamOptimizer, grads: Grads) => void;

/**
 * The gradients as a list, where a fused update can take them all: every gradient present and float32, and so every
 * variable it updates.
 * @param grads - what `applyGradients` got
 * @returns the list, or null to leave the step to the update installed before
 */
export function float32Gradients(grads: Grads): { name: string; tensor: tf.Tensor }[] | null {
  const list = Array.isArray(grads) ? grads : Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
  const vars = tf.engine().registeredVariables;
  return list.some(({ name, tensor }) => tensor == null || tensor.dtype !== 'float32' || vars[name]?.dtype !== 'float32') ? null : list;
}

/**
 * A moment variable of the optimizer, made as tfjs makes it on a variable's first update (zeros, not trainable,
 * named `<variable>/m` or `/v`), so that `getWeights` and checkpoints see tfjs's own state.
 * @param slots - the optimizer's first- or second-moment list
 * @param i - the variable's position in the gradients
 * @param name - the variable's name
 * @param suffix - `m` or `v`
 * @returns the moment variable
 */
export function momentSlot(slots: AdamFields['accumulatedFirstMoment'], i: number, name: string, suffix: 'm' | 'v'): tf.Variable {
  slots[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(tf.engine().registeredVariables[name] as tf.Variable).variable(false)) };
  return slots[i].variable;
}

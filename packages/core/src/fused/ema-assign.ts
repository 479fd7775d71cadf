import * as tf from '@tensorflow/tfjs';
import { emaUpdate } from './ema-update.js';

/**
 * An in-place EMA step a backend may provide (see {@link setEmaInPlace}): `average ← decay·average +
 * (1 − decay)·value` written into the variable's own buffer, with exactly the numbers of {@link emaUpdate};
 * returns false to leave the step to {@link emaUpdate} and `assign`.
 */
export type EmaInPlace = (average: tf.Variable, value: tf.Tensor, decay: number) => boolean;

let inPlace: EmaInPlace | null = null;

/**
 * Install (or, with null, remove) an in-place EMA step: the seam through which `@vib/backends` updates a
 * weight average in its own buffer on the wasm backend, instead of writing a new tensor the size of the model
 * each step. The step must give the numbers of {@link emaUpdate} bit for bit, and must not write a buffer that
 * another tensor shares.
 * @param step - the in-place step, or null
 */
export function setEmaInPlace(step: EmaInPlace | null): void {
  inPlace = step;
}

/**
 * One EMA step of a variable: `average ← decay·average + (1 − decay)·value`, in place where the backend
 * installed a step with {@link setEmaInPlace}, else {@link emaUpdate} and `assign`. The numbers are the same
 * either way.
 * @param average - the running average (a variable, not trained)
 * @param value - the new value, same shape
 * @param decay - the decay d in [0, 1]
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * const avg = tf.variable(tf.tensor1d([1]), false);
 * assignEma(avg, tf.tensor1d([3]), 0.75); // avg holds [1.5]
 * ```
 */
export function assignEma(average: tf.Variable, value: tf.Tensor, decay: number): void {
  if (inPlace?.(average, value, decay)) return;
  const next = emaUpdate(average, value, decay);
  average.assign(next);
  next.dispose();
}

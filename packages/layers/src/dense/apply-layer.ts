import * as tf from '@tensorflow/tfjs';
import { fusedDense, type DenseActivation } from '@vib/core';

/** What a built tf.layers `Dense` holds (its fields are private in tfjs's typings). */
interface DenseInternals {
  readonly kernel?: { read(): tf.Variable } | null;
  readonly bias?: { read(): tf.Variable } | null;
  readonly activation?: { getClassName(): string } | null;
}

/** The activations `fusedDense` takes, by tfjs's activation class names. */
const FUSABLE = new Map<string, DenseActivation>([['linear', 'linear'], ['relu', 'relu']]);

/**
 * Apply a layer to a concrete tensor. A built tf.layers `Dense` with a linear or ReLU activation on a float32
 * [B, I] input runs as `@vib/core`'s `fusedDense`, one node of the gradient tape where the backend has a `VibDense`
 * kernel, with the layer's own variables (so its gradients, saved weights and format are unchanged); any other
 * layer, activation or input runs as `layer.apply(x)`. The results are the same either way.
 * @param layer - the layer
 * @param x - its input
 * @returns the layer's output
 * @example
 * ```ts
 * const layer = tf.layers.dense({ units: 4, activation: 'relu' });
 * layer.apply(tf.zeros([1, 3])); // builds it
 * applyLayer(layer, tf.ones([2, 3])).shape; // [2, 4]
 * ```
 */
export function applyLayer(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  if (layer.built && x.rank === 2 && x.dtype === 'float32' && layer.getClassName() === 'Dense') {
    const { kernel, bias, activation } = layer as unknown as DenseInternals;
    const fused = FUSABLE.get(activation?.getClassName() ?? 'linear');
    if (kernel && fused) return fusedDense(x as tf.Tensor2D, kernel.read() as tf.Tensor2D, bias ? (bias.read() as tf.Tensor1D) : null, fused);
  }
  return layer.apply(x) as tf.Tensor;
}

import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS } from './fused-op.js';

/**
 * One step of an exponential moving average, decay·average + (1 − decay)·value, in float32 as the stock ops
 * compute it (two products, each rounded, then their rounded sum). On a backend with the fused `VibEmaUpdate`
 * kernel it is one pass over both tensors instead of three kernels and two temporaries; elsewhere the stock ops.
 * Not differentiable (an average of weights is not trained).
 * @param average - the running average
 * @param value - the new value, same shape
 * @param decay - the decay d in [0, 1]
 * @returns the new average (a new tensor)
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * emaUpdate(tf.tensor1d([1]), tf.tensor1d([3]), 0.75); // [1.5]
 * ```
 */
export function emaUpdate(average: tf.Tensor, value: tf.Tensor, decay: number): tf.Tensor {
  const fused = tf.getKernel(FUSED_KERNELS.emaUpdate, tf.getBackend()) !== undefined;
  if (fused && average.dtype === 'float32' && value.dtype === 'float32' && average.shape.join() === value.shape.join()) {
    return tf.engine().runKernel(FUSED_KERNELS.emaUpdate, { average, value }, { decay }) as tf.Tensor;
  }
  return tf.tidy(() => tf.add(tf.mul(average, decay), tf.mul(value, 1 - decay)));
}

import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS, hasFusedKernel, runFused, type FusedGradient } from './fused-op.js';

/**
 * The gradient of dy·step(x) itself, for gradients of gradients (a gradient penalty through a ReLU network):
 * g·step(x) for dy, and 0 for x (Step's gradient in tfjs).
 */
const MASK_GRADIENT: FusedGradient = {
  save: ['y'],
  func: (g, saved) => {
    const [x] = saved as tf.Tensor[];
    return { dy: () => reluMask(g as tf.Tensor, x as tf.Tensor), y: () => tf.zerosLike(x as tf.Tensor) };
  },
};

/**
 * dy·step(x), the gradient through a ReLU (x its input or its output: step is the same on both): one `VibReluGrad`
 * kernel where the backend has it (`@vib/backends` registers one on wasm), else tfjs's `Step`, `Cast` and `Multiply`,
 * as tfjs's own Relu gradient runs them: the same values either way (each element of dy times 1, 0 or NaN). The
 * fused kernel has a gradient of its own, so gradients of gradients work through it.
 * @param dy - the gradient arriving at the ReLU's output
 * @param x - the ReLU's input (or output), of dy's shape
 * @returns dy·step(x)
 * @example
 * ```ts
 * reluMask(tf.tensor1d([2, 3]), tf.tensor1d([-1, 4])).dataSync(); // [0, 3]
 * ```
 */
export function reluMask<T extends tf.Tensor>(dy: T, x: tf.Tensor): T {
  if (hasFusedKernel(FUSED_KERNELS.reluGrad, [dy, x]) && dy.shape.join() === x.shape.join()) {
    return runFused(FUSED_KERNELS.reluGrad, { dy, y: x }, MASK_GRADIENT) as T;
  }
  return tf.mul(dy, tf.cast(tf.step(x), 'float32'));
}

import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS, hasFusedKernel, runFused, type FusedGradient } from '@vib/core';

/**
 * dy·step(x) as one `VibReluGrad` pass where the backend has it (the wasm tiers register it), else tfjs's own
 * `Step` and `Multiply`: the same values either way (each element of dy times 1, 0 or NaN).
 */
function reluMask(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (hasFusedKernel(FUSED_KERNELS.reluGrad, [dy, x]) && dy.shape.join() === x.shape.join()) {
    return runFused(FUSED_KERNELS.reluGrad, { dy, y: x }, MASK_GRADIENT);
  }
  return tf.mul(dy, tf.cast(tf.step(x), 'float32'));
}

/**
 * The gradient of dy·step(x) itself, for gradients of gradients (a gradient penalty through a ReLU network): g·step(x)
 * for dy, and 0 for x (Step's gradient in tfjs).
 */
const MASK_GRADIENT: FusedGradient = {
  save: ['y'],
  func: (g, saved) => {
    const [x] = saved as tf.Tensor[];
    return { dy: () => reluMask(g as tf.Tensor, x as tf.Tensor), y: () => tf.zerosLike(x as tf.Tensor) };
  },
};

/**
 * Relu's gradient, dy·step(x), as tfjs defines it, in one pass where the backend has the fused kernel: tfjs's own
 * runs `Step`, `Cast` and `Multiply` over the layer's whole output (a CNN's first ReLU: 2.5 million floats a step).
 */
const RELU_GRADIENT: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => reluMask(dy as tf.Tensor, (saved as tf.Tensor[])[0] as tf.Tensor) }),
};

/** The Relu gradient registered before ours, while ours is installed. */
let replaced: tf.GradConfig | undefined;

/**
 * Register {@link RELU_GRADIENT} (global in tfjs, so for every backend; the others keep tfjs's composition).
 * Idempotent.
 */
export function installReluGradient(): void {
  const current = tf.getGradient('Relu');
  if (current === RELU_GRADIENT) return;
  replaced = current;
  tf.registerGradient(RELU_GRADIENT);
}

/** Put back the Relu gradient {@link installReluGradient} replaced, where ours is still the one registered. */
export function uninstallReluGradient(): void {
  if (tf.getGradient('Relu') === RELU_GRADIENT && replaced) tf.registerGradient(replaced);
  replaced = undefined;
}

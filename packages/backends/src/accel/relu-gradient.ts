import * as tf from '@tensorflow/tfjs';
import { reluMask } from '@vib/core';

/**
 * Relu's gradient, dy·step(x), as tfjs defines it, through `@vib/core`'s `reluMask`: one pass where the backend has
 * the fused kernel (tfjs's own runs `Step`, `Cast` and `Multiply` over the layer's whole output: a CNN's first ReLU,
 * 2.5 million floats a step), tfjs's composition elsewhere.
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

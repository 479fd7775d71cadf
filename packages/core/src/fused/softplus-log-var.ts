import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS, hasFusedKernel, runFused } from './fused-op.js';

/**
 * Alemi et al. (2017)'s scale σ = softplus(raw − shift) + floor: `shift` = 5 makes σ start near 0.0067, and the
 * `floor` keeps log σ finite in float32. The fused `VibSoftplusLogVar` kernels compute with these two constants.
 */
export const SOFTPLUS_SCALE = { shift: 5, floor: 1e-6 } as const;

const { shift: SHIFT, floor: FLOOR } = SOFTPLUS_SCALE;

/**
 * 2·dy·sigmoid(raw − 5) / (softplus(raw − 5) + 10⁻⁶): the raw gradient of {@link softplusLogVar}, fused where the
 * backend has the kernel.
 * @param dy - upstream gradient
 * @param raw - the head's raw output, same shape
 * @returns the gradient
 */
function rawGrad(dy: tf.Tensor, raw: tf.Tensor): tf.Tensor {
  if (hasFusedKernel(FUSED_KERNELS.softplusLogVarGrad, [dy, raw]) && dy.shape.join() === raw.shape.join()) {
    return runFused(FUSED_KERNELS.softplusLogVarGrad, { dy, raw });
  }
  // the stock composition's own chain rule: Mul by 2, then Log's dy/x, then Softplus's dy·sigmoid
  return tf.tidy(() => {
    const shifted = tf.sub(raw, SHIFT);
    return tf.mul(tf.div(tf.mul(dy, 2), tf.add(tf.softplus(shifted), FLOOR)), tf.sigmoid(shifted));
  });
}

/**
 * The log-variance log σ² = 2·log(softplus(raw − 5) + 10⁻⁶) of Alemi et al. (2017)'s softplus scale
 * ({@link SOFTPLUS_SCALE}). On a backend with the fused `VibSoftplusLogVar` kernel (the wasm acceleration tiers) it
 * is one kernel forward and one backward; elsewhere the stock composition of five ops (and their gradients).
 * @param raw - the scale head's raw output, any shape
 * @returns log σ², same shape
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * softplusLogVar(tf.tensor1d([5])); // [2·log(log 2 + 1e-6)] ≈ [−0.733]
 * ```
 */
export function softplusLogVar(raw: tf.Tensor): tf.Tensor {
  if (hasFusedKernel(FUSED_KERNELS.softplusLogVar, [raw])) {
    return runFused(FUSED_KERNELS.softplusLogVar, { raw }, {
      save: ['raw'],
      func: (dy, saved) => {
        const [r] = saved as [tf.Tensor];
        return { raw: () => rawGrad(dy as tf.Tensor, r) };
      },
    });
  }
  return tf.tidy(() => tf.mul(tf.log(tf.add(tf.softplus(tf.sub(raw, SHIFT)), FLOOR)), 2));
}

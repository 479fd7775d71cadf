import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS, hasFusedKernel, runFused } from './fused-op.js';

const sameShape = (a: tf.Tensor, b: tf.Tensor): boolean => a.shape.join() === b.shape.join();

/**
 * ½·dy·(exp(logVar) − 1): the logVar gradient of {@link stdNormalKLPerDim}, fused where the backend has the kernel.
 * @param dy - upstream gradient [B,K]
 * @param logVar - log σ² [B,K]
 * @returns the gradient [B,K]
 */
function logVarGrad(dy: tf.Tensor, logVar: tf.Tensor): tf.Tensor {
  if (hasFusedKernel(FUSED_KERNELS.stdNormalKLGrad, [dy, logVar]) && sameShape(dy, logVar)) {
    return runFused(FUSED_KERNELS.stdNormalKLGrad, { dy, logVar });
  }
  return tf.tidy(() => tf.mul(tf.mul(dy, tf.sub(tf.exp(logVar), 1)), 0.5));
}

/**
 * KL(N(μ, diag exp(logVar)) ‖ N(0, I)) per dimension, −½(1 + logVar − μ² − exp(logVar)) (Kingma & Welling 2014,
 * App. B). On a backend with the fused `VibStdNormalKL` kernel (the wasm acceleration tiers) it is one kernel
 * forward and two backward (dμ = dy·μ, d logVar = ½·dy·(exp(logVar) − 1)); elsewhere the stock composition.
 * @param mu - μ [B,K]
 * @param logVar - log σ² [B,K] (or [1,K]: then the stock composition broadcasts it)
 * @returns KL per dimension [B,K], nats
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * stdNormalKLPerDim(tf.tensor2d([[1]]), tf.tensor2d([[0]])); // [[0.5]]
 * ```
 */
export function stdNormalKLPerDim(mu: tf.Tensor, logVar: tf.Tensor): tf.Tensor {
  if (hasFusedKernel(FUSED_KERNELS.stdNormalKL, [mu, logVar]) && sameShape(mu, logVar)) {
    return runFused(FUSED_KERNELS.stdNormalKL, { mu, logVar }, {
      save: ['mu', 'logVar'],
      func: (dy, saved) => {
        const [m, lv] = saved as [tf.Tensor, tf.Tensor];
        return { mu: () => tf.mul(dy as tf.Tensor, m), logVar: () => logVarGrad(dy as tf.Tensor, lv) };
      },
    });
  }
  return tf.tidy(() => tf.mul(tf.sub(tf.add(logVar, 1), tf.add(tf.square(mu), tf.exp(logVar))), -0.5));
}

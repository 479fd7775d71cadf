import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS, hasFusedKernel, runFused } from './fused-op.js';

const sameShapes = (ts: tf.Tensor[]): boolean => ts.every((t) => t.shape.join() === (ts[0] as tf.Tensor).shape.join());

/**
 * ½·dy·ε·exp(½·logVar): the logVar gradient of {@link reparameterize}, fused where the backend has the kernel.
 * @param dy - upstream gradient [B,K]
 * @param logVar - log σ² [B,K]
 * @param eps - the noise ε [B,K]
 * @returns the gradient [B,K]
 */
function logVarGrad(dy: tf.Tensor, logVar: tf.Tensor, eps: tf.Tensor): tf.Tensor {
  if (hasFusedKernel(FUSED_KERNELS.reparameterizeGrad, [dy, logVar, eps]) && sameShapes([dy, logVar, eps])) {
    return runFused(FUSED_KERNELS.reparameterizeGrad, { dy, logVar, eps });
  }
  return tf.tidy(() => tf.mul(tf.mul(tf.mul(dy, eps), tf.exp(tf.mul(logVar, 0.5))), 0.5));
}

/**
 * The reparameterized sample z = μ + exp(½·logVar)·ε (Kingma & Welling 2014). On a backend with the fused
 * `VibReparameterize` kernel it is one kernel forward, and the backward pass is dμ = dy and one kernel for
 * d logVar; elsewhere (or when the shapes differ and need broadcasting) the stock composition.
 * @param mu - μ [B,K]
 * @param logVar - log σ² [B,K]
 * @param eps - standard normal noise ε [B,K]
 * @returns z [B,K]
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * reparameterize(tf.tensor2d([[1]]), tf.tensor2d([[0]]), tf.tensor2d([[2]])); // [[3]]
 * ```
 */
export function reparameterize(mu: tf.Tensor, logVar: tf.Tensor, eps: tf.Tensor): tf.Tensor {
  if (hasFusedKernel(FUSED_KERNELS.reparameterize, [mu, logVar, eps]) && sameShapes([mu, logVar, eps])) {
    return runFused(FUSED_KERNELS.reparameterize, { mu, logVar, eps }, {
      save: ['logVar', 'eps'],
      func: (dy, saved) => {
        const [lv, e] = saved as [tf.Tensor, tf.Tensor];
        const g = dy as tf.Tensor;
        return { mu: () => tf.reshape(g, g.shape), logVar: () => logVarGrad(g, lv, e), eps: () => tf.mul(g, tf.exp(tf.mul(lv, 0.5))) };
      },
    });
  }
  return tf.tidy(() => tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)));
}

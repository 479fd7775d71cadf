import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS, hasFusedKernel, runFused } from './fused-op.js';

const rank2Pair = (a: tf.Tensor, b: tf.Tensor): boolean => a.rank === 2 && a.shape.join() === b.shape.join();

/**
 * dy·(sigmoid(logits) − targets): the logits gradient of {@link bernoulliNllRows}.
 * @param dy - upstream gradient [B]
 * @param logits - [B,D]
 * @param targets - [B,D]
 * @returns the gradient [B,D]
 */
function logitsGrad(dy: tf.Tensor, logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  if (hasFusedKernel(FUSED_KERNELS.bernoulliNllGrad, [dy, logits, targets])) {
    return runFused(FUSED_KERNELS.bernoulliNllGrad, { dy, logits, targets });
  }
  return tf.tidy(() => tf.mul(tf.expandDims(dy, -1), tf.sub(tf.sigmoid(logits), targets)));
}

/**
 * The Bernoulli negative log-likelihood per row, Σ_d softplus(logits) − targets·logits = −log p(x|z) of a
 * Bernoulli decoder with logits (targets in [0, 1]). On a backend with the fused `VibBernoulliNll` kernel it is
 * one kernel forward and one backward (dy·(sigmoid(logits) − targets)); elsewhere the stock composition.
 * @param logits - [B,D]
 * @param targets - [B,D], float32
 * @returns [B], nats
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * bernoulliNllRows(tf.tensor2d([[0, 0]]), tf.tensor2d([[1, 0]])); // [2·log 2]
 * ```
 */
export function bernoulliNllRows(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  if (hasFusedKernel(FUSED_KERNELS.bernoulliNll, [logits, targets]) && rank2Pair(logits, targets)) {
    return runFused(FUSED_KERNELS.bernoulliNll, { logits, targets }, {
      save: ['logits', 'targets'],
      func: (dy, saved) => {
        const [x, t] = saved as [tf.Tensor, tf.Tensor];
        const g = dy as tf.Tensor;
        return { logits: () => logitsGrad(g, x, t), targets: () => tf.neg(tf.mul(tf.expandDims(g, -1), x)) };
      },
    });
  }
  return tf.tidy(() => tf.sum(tf.sub(tf.softplus(logits), tf.mul(targets, logits)), -1));
}

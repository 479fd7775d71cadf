import * as tf from '@tensorflow/tfjs';

/**
 * Average S predictive distributions in probability space, in logs:
 * log( (1/S) Σ_s q(y|z_s) ) = logsumexp_s log q(y|z_s) − log S (not the softmax of averaged logits).
 * @param logProbs - log-probabilities [S, ...]
 * @returns log of the averaged probabilities, shape without the leading S axis
 * @example
 * ```ts
 * // two samples: q = [1, 0] and [0, 1] (in logs) average to [0.5, 0.5]
 * averageLogProbs(tf.log(tf.tensor3d([[[1, 0]], [[0, 1]]])));
 * ```
 */
export function averageLogProbs(logProbs: tf.Tensor): tf.Tensor {
  const s = logProbs.shape[0] ?? 1;
  return tf.tidy(() => tf.sub(tf.logSumExp(logProbs, 0), Math.log(s)));
}

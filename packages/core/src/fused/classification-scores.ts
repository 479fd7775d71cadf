import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS, hasFusedKernel, runFused } from './fused-op.js';

/**
 * The stock composition: labels cast to int32 as `tf.cast` does, the picked entries summed by rows (each row's
 * products with its one-hot row added from the first class on), those sums added over the batch, and the rows whose
 * `tf.argMax` equals their label counted.
 */
function composed(logLik: tf.Tensor, labels: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const index = tf.cast(labels, 'int32');
    const picked = tf.sum(tf.mul(logLik, tf.oneHot(index, logLik.shape[1] ?? 0)), -1);
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logLik, -1), index), 'float32'));
    return tf.stack([tf.neg(tf.sum(picked)), correct]) as tf.Tensor1D;
  });
}

/**
 * A classification batch's score sums from its log-probabilities: −Σ_b log q(y_b|z_b) in nats (the batch's summed
 * negative log-likelihood) and how many rows put their largest log-probability on their label (the first of equal
 * largest entries counts, as `tf.argMax` picks it). A label outside 0 … C−1 picks nothing (adds 0) and is never
 * correct. On a backend with the `VibClassificationScores` kernel (`@vib/backends` registers it on wasm in both
 * tiers) it is one kernel with exactly the numbers of the stock ops there; elsewhere the stock ops (cast, one-hot,
 * multiply, sums, argMax, equal), about fourteen kernels.
 * @param logLik - log q(y|z) for every class, [B, C], float32
 * @param labels - class indices [B] (int32, or float32 holding integers)
 * @returns [−Σ_b logLik[b, y_b], number of rows classified right], float32
 * @throws RangeError when logLik is not [B, C] or labels not [B]
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * const logLik = tf.log(tf.tensor2d([[0.25, 0.75], [0.5, 0.5]]));
 * classificationScoreSums(logLik, tf.tensor1d([1, 1], 'int32')); // [log 4/3 + log 2, 1] (row 2's tie goes to class 0)
 * ```
 */
export function classificationScoreSums(logLik: tf.Tensor, labels: tf.Tensor): tf.Tensor1D {
  if (logLik.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logLik.shape[0]) {
    throw new RangeError(`classificationScoreSums: needs log-likelihoods [B, C] and labels [B], got [${logLik.shape.join(', ')}] and [${labels.shape.join(', ')}]`);
  }
  // one class: tf.oneHot refuses a depth under 2, and so does the stock composition
  if (logLik.dtype === 'float32' && (logLik.shape[1] ?? 0) >= 2 && hasFusedKernel(FUSED_KERNELS.classificationScores, [logLik])) {
    // the kernel reads float32 labels: int32 class indices convert exactly (below 2^24)
    return tf.tidy(() => runFused(FUSED_KERNELS.classificationScores, { logLik, labels: labels.dtype === 'float32' ? labels : tf.cast(labels, 'float32') }) as tf.Tensor1D);
  }
  return composed(logLik, labels);
}

import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors/shape-error.js';

/** What {@link importanceWeightedBound} returns (tensors of shape [B], nats; the caller disposes them). */
export interface ImportanceWeightedBound {
  /** log (1/K) Σ_k w_k: the importance-weighted lower bound on log p(x) (Burda et al. 2016). */
  readonly bound: tf.Tensor;
  /** (1/K) Σ_k log w_k: the ELBO estimated from the same draws (never above `bound`, by Jensen). */
  readonly elbo: tf.Tensor;
}

/**
 * The importance-weighted bound of Burda, Grosse & Salakhutdinov (2016) from log-weights
 * log w_k = log p(x|z_k) + log r(z_k) − log q(z_k|x), z_k ~ q(z|x):
 * L_K = log (1/K) Σ_k w_k ≤ log p(x). L_1 is the ELBO; L_K grows with K toward log p(x), and equals it for every K
 * when q is the exact posterior (all weights are then p(x)).
 * @param logWeights - log w, shape [K, B]
 * @returns the bound and the ELBO per example, [B]
 * @throws {@link ShapeError} unless logWeights has rank 2
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * importanceWeightedBound(tf.log(tf.tensor2d([[1], [3]]))).bound; // [log 2]
 * ```
 */
export function importanceWeightedBound(logWeights: tf.Tensor): ImportanceWeightedBound {
  if (logWeights.rank !== 2) {
    throw new ShapeError(`importanceWeightedBound needs log-weights of shape [K,B], got [${logWeights.shape.join(',')}]`);
  }
  const k = logWeights.shape[0] ?? 1;
  return tf.tidy(() => ({ bound: tf.sub(tf.logSumExp(logWeights, 0), Math.log(k)), elbo: tf.mean(logWeights, 0) }));
}

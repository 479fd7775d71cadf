import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors/config-error.js';
import { checkScores } from './critic-scores.js';

/**
 * The InfoNCE lower bound on I(X;Y) in nats, differentiable in the scores (van den Oord et al. 2018;
 * Poole et al. 2019, "On Variational Bounds of Mutual Information", eq. 12):
 *
 *   I_NCE = (1/B) Σ_i [ f[i][i] − log (1/B) Σ_j exp f[i][j] ].
 *
 * Each term is log of a softmax probability times B, so I_NCE ≤ log B for every critic: with batch
 * size B it can never report more than log B nats, however strong the critic or large the true MI.
 * An optimal critic is f(x, y) = log p(y|x)/p(y) plus any function of x alone; the bound has low
 * variance but is biased down when I(X;Y) is comparable to log B.
 *
 * @param scores - [B, B] with f[i][j] = critic(x_i, y_j); the diagonal holds the positive pairs
 * @returns scalar bound in nats (maximize it; the loss is its negative)
 * @throws {@link ShapeError} when the scores are not [B, B] with B ≥ 2
 * @example
 * ```ts
 * infoNceLowerBound(tf.mul(tf.eye(8), 1e3)).dataSync()[0]; // log 8, the ceiling
 * ```
 */
export function infoNceLowerBound(scores: tf.Tensor2D): tf.Scalar {
  checkScores(scores, 'InfoNCE');
  return tf.tidy(() => {
    const b = scores.shape[0];
    const logSoftmaxDiag = tf.sum(tf.mul(tf.logSoftmax(scores, 1), tf.eye(b)), 1);
    return tf.add(tf.mean(logSoftmaxDiag), Math.log(b)) as tf.Scalar;
  });
}

/**
 * The ceiling log B of InfoNCE for a batch of B pairs.
 * @param batchSize - B, an integer ≥ 2 (as {@link infoNceLowerBound} needs)
 * @returns log B in nats
 * @throws {@link ConfigError} for a B that is not an integer ≥ 2
 */
export function infoNceCeilingNats(batchSize: number): number {
  if (!Number.isSafeInteger(batchSize) || batchSize < 2) {
    throw new ConfigError(`InfoNCE's ceiling needs a batch of B ≥ 2 pairs, got ${batchSize}`, { details: { field: 'batchSize', value: batchSize } });
  }
  return Math.log(batchSize);
}

import * as tf from '@tensorflow/tfjs';
import { checkScores, logMeanExpOffDiagonal, meanDiagonal } from './critic-scores.js';

/**
 * The NWJ lower bound on I(X;Y) in nats, differentiable in the scores (Nguyen, Wainwright & Jordan
 * 2010; the f-GAN KL bound; TUBA with baseline e, Poole et al. 2019, eq. 11):
 *
 *   I_NWJ = E_p[f] − e^{−1} E_{p(x)p(y)}[e^f],
 *
 * with E_p over the diagonal and E_{p(x)p(y)} over the off-diagonal entries. It is tight at the
 * critic f* = 1 + log p(y|x)/p(y) (note the +1) and unbiased in its estimate, but its variance grows
 * like e^{I} for large MI.
 *
 * @param scores - [B, B] with f[i][j] = critic(x_i, y_j); the diagonal holds the positive pairs
 * @returns scalar bound in nats (maximize it)
 * @throws {@link ShapeError} when the scores are not [B, B] with B ≥ 2
 * @example
 * ```ts
 * const mi = nwjLowerBound(scores).dataSync()[0];
 * ```
 */
export function nwjLowerBound(scores: tf.Tensor2D): tf.Scalar {
  checkScores(scores, 'NWJ');
  return tf.tidy(() => tf.sub(meanDiagonal(scores), tf.exp(tf.sub(logMeanExpOffDiagonal(scores), 1))) as tf.Scalar);
}

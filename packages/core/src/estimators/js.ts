import * as tf from '@tensorflow/tfjs';
import { checkScores, meanDiagonal, stopGradient } from './critic-scores.js';
import { nwjLowerBound } from './nwj.js';

/**
 * The Jensen–Shannon f-GAN objective, E_p[−softplus(−f)] − E_{p(x)p(y)}[softplus(f)], which a critic
 * maximizes to become f* = log p(y|x)/p(y) (Nowozin et al. 2016; Poole et al. 2019, §2.3).
 * @param scores - [B, B] scores, diagonal = positive pairs
 * @returns scalar (not itself a bound on I in nats)
 * @throws {@link ShapeError} when the scores are not [B, B] with B ≥ 2
 */
export function jsFganObjective(scores: tf.Tensor2D): tf.Scalar {
  checkScores(scores, 'JS');
  return tf.tidy(() => {
    const b = scores.shape[0];
    const eye = tf.eye(b);
    const pos = meanDiagonal(tf.neg(tf.softplus(tf.neg(scores))) as tf.Tensor2D);
    const neg = tf.div(tf.sum(tf.mul(tf.softplus(scores), tf.sub(1, eye))), b * (b - 1));
    return tf.sub(pos, neg) as tf.Scalar;
  });
}

/**
 * The JS-trained, NWJ-evaluated lower bound on I(X;Y) in nats (Poole et al. 2019, §2.3): its value is
 * the NWJ bound at critic f + 1, I_NWJ(f + 1) = 1 + E_p[f] − E_{p(x)p(y)}[e^f], a valid lower bound
 * for any f, tight at f* = log p(y|x)/p(y); its gradient is that of the lower-variance
 * Jensen–Shannon objective {@link jsFganObjective}, which has the same optimal critic.
 *
 * @param scores - [B, B] with f[i][j] = critic(x_i, y_j); the diagonal holds the positive pairs
 * @returns scalar bound in nats (maximize it; gradients are those of the JS objective)
 * @throws {@link ShapeError} when the scores are not [B, B] with B ≥ 2
 * @example
 * ```ts
 * const loss = () => tf.neg(jsLowerBound(critic(x, y)));
 * ```
 */
export function jsLowerBound(scores: tf.Tensor2D): tf.Scalar {
  checkScores(scores, 'JS');
  return tf.tidy(() => {
    const nwj = nwjLowerBound(tf.add(scores, 1) as tf.Tensor2D);
    const js = jsFganObjective(scores);
    return tf.add(js, stopGradient(tf.sub(nwj, js))) as tf.Scalar;
  });
}

import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors/config-error.js';
import { checkScores, logMeanExpOffDiagonal, meanDiagonal, stopGradient } from './critic-scores.js';

/**
 * The Donsker–Varadhan lower bound on I(X;Y) in nats (Donsker & Varadhan 1983; the MINE bound of
 * Belghazi et al. 2018; Poole et al. 2019, eq. 9): I_DV = E_p[f] − log E_{p(x)p(y)}[e^f], with E_p over
 * the diagonal and E_{p(x)p(y)} over the off-diagonal entries. Tight at f* = log p(y|x)/p(y) + any
 * constant. Its minibatch gradient is biased (the log sits outside the mean); see {@link createMineEstimator}.
 *
 * @param scores - [B, B] with f[i][j] = critic(x_i, y_j); the diagonal holds the positive pairs
 * @returns scalar bound in nats
 * @throws {@link ShapeError} when the scores are not [B, B] with B ≥ 2
 */
export function dvLowerBound(scores: tf.Tensor2D): tf.Scalar {
  checkScores(scores, 'DV/MINE');
  return tf.tidy(() => tf.sub(meanDiagonal(scores), logMeanExpOffDiagonal(scores)) as tf.Scalar);
}

/** Options of {@link createMineEstimator}. */
export interface MineOptions {
  /** Decay of the moving average of E_{p(x)p(y)}[e^f], in [0, 1) (default 0.99). */
  readonly emaDecay?: number;
}

/** A stateful MINE estimator (one per critic being trained). */
export interface MineEstimator {
  /**
   * The training loss, −I_DV in value, with the bias-corrected gradient of Belghazi et al. (2018):
   * the gradient of log E_q[e^f] is replaced by ∇E_q[e^f] / m, where m is the moving average of
   * E_q[e^f] over batches (this batch included), treated as a constant. Updates the average.
   * @param scores - [B, B] scores, diagonal = positive pairs
   * @returns scalar loss (negated DV bound, nats)
   * @throws {@link ShapeError} when the scores are not [B, B] with B ≥ 2
   */
  loss(scores: tf.Tensor2D): tf.Scalar;
  /**
   * The DV bound of a batch in nats, without touching the average.
   * @param scores - [B, B] scores
   * @returns scalar bound
   */
  bound(scores: tf.Tensor2D): tf.Scalar;
  /** Current bias-corrected moving average of E_{p(x)p(y)}[e^f] (NaN before the first batch). */
  readonly movingAverage: number;
  /** Reset the average (e.g. when the critic is re-initialized). */
  reset(): void;
}

/**
 * Create a MINE estimator (Belghazi et al. 2018, "Mutual Information Neural Estimation") with a
 * moving average of the partition term for a less biased gradient. The average is kept in log space
 * and bias-corrected like Adam's moments: m_t = (1−decay^t)^{-1}·Σ_s (1−decay)·decay^{t−s}·E_q[e^f]_s.
 * Reading the batch's partition term synchronizes with the backend once per call to `loss`.
 *
 * @param options - `emaDecay` in [0, 1)
 * @returns the estimator
 * @throws {@link ConfigError} when `emaDecay` is outside [0, 1)
 * @example
 * ```ts
 * const mine = createMineEstimator({ emaDecay: 0.99 });
 * optimizer.minimize(() => mine.loss(critic(x, y)));
 * ```
 */
export function createMineEstimator(options: MineOptions = {}): MineEstimator {
  const decay = options.emaDecay ?? 0.99;
  if (!(decay >= 0 && decay < 1)) {
    throw new ConfigError(`emaDecay must lie in [0, 1), got ${decay}`, { details: { field: 'emaDecay', value: decay } });
  }
  let logSum = -Infinity; // log of Σ_s (1−decay)·decay^{t−s}·E_q[e^f]_s
  let steps = 0;
  const logAverage = (): number => logSum - Math.log(1 - decay ** steps);
  return {
    loss(scores) {
      checkScores(scores, 'MINE');
      return tf.tidy(() => {
        const logPartition = logMeanExpOffDiagonal(scores);
        const batchLog = logPartition.dataSync()[0]!;
        const a = Math.log(decay) + logSum;
        const b = Math.log(1 - decay) + batchLog;
        const hi = Math.max(a, b);
        logSum = hi + Math.log(Math.exp(a - hi) + Math.exp(b - hi));
        steps += 1;
        const pos = meanDiagonal(scores);
        // surrogate: E_p[f] − E_q[e^f]/m, whose gradient is the bias-corrected one
        const surrogate = tf.sub(pos, tf.exp(tf.sub(logPartition, logAverage())));
        const dv = tf.sub(pos, logPartition);
        return tf.neg(tf.add(surrogate, stopGradient(tf.sub(dv, surrogate)))) as tf.Scalar;
      });
    },
    bound: (scores) => dvLowerBound(scores),
    get movingAverage() {
      return steps === 0 ? Number.NaN : Math.exp(logAverage());
    },
    reset() {
      logSum = -Infinity;
      steps = 0;
    },
  };
}

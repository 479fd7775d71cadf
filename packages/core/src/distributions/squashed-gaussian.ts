import * as tf from '@tensorflow/tfjs';
import type { Distribution } from './distribution.js';
import { ConfigError } from '../errors/config-error.js';
import { DiagonalGaussian } from './diagonal-gaussian.js';
import type { DistributionOptions } from './validate-args.js';
import { expectEvent, expectSampleCount } from './shapes.js';

/** Clamp for (z − low)/(high − low) so the inverse sigmoid stays finite in float32. */
const EDGE = 1e-6;

/**
 * A diagonal Gaussian pushed through a scaled sigmoid into the open box (low, high)^K:
 * z = low + (high − low)·sigmoid(u), u ~ N(mean, diag(exp(logVar))).
 *
 * Its support lies strictly inside the box, so it pairs with a {@link Uniform} prior on a box
 * that contains it: KL(p ‖ U) = −H(p) + Σ_k log(width_k) is finite (estimated by Monte Carlo).
 * The density follows by change of variables:
 * log p(z) = log N(u) − log(high − low) − log s − log(1 − s), s = sigmoid(u).
 * {@link SquashedGaussian.mean} returns the deterministic code low + (high − low)·sigmoid(mean),
 * not the expectation. No closed-form entropy.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SquashedGaussian } from '@vib/core';
 * const p = new SquashedGaussian(tf.zeros([1, 2]), tf.zeros([1, 2]), -1, 1);
 * p.mean(); // [[0, 0]]
 * ```
 */
export class SquashedGaussian implements Distribution {
  /** Stable type name used in messages and serialization. */
  static readonly typeName: string = 'SquashedGaussian';
  readonly typeName: string = 'SquashedGaussian';
  readonly eventSize: number;
  readonly batchSize: number;
  /** The Gaussian of the pre-squash variable u. */
  readonly base: DiagonalGaussian;
  /** Lower edge of the box. */
  readonly low: number;
  /** Upper edge of the box. */
  readonly high: number;

  /**
   * @param mean - mean of u, shape [B,K]
   * @param logVar - log-variance of u, shape [B,K]
   * @param low - lower edge of the box (finite)
   * @param high - upper edge of the box (finite, > low)
   * @param options - `validateArgs`: check the parameters (default: `getDefaultValidateArgs()`, true)
   * @throws {@link ShapeError} when the shapes disagree
   * @throws {@link ConfigError} when low < high fails or a bound is not finite
   * @throws {@link InvalidParameterError} when a parameter is outside its domain and validation is on
   */
  constructor(mean: tf.Tensor, logVar: tf.Tensor, low: number, high: number, options?: DistributionOptions) {
    if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
      throw new ConfigError(
        `SquashedGaussian needs finite bounds with low < high, got low=${String(low)}, high=${String(high)}`,
        { details: { field: 'bounds', value: [low, high] } },
      );
    }
    this.base = new DiagonalGaussian(mean, logVar, options);
    this.eventSize = this.base.eventSize;
    this.batchSize = this.base.batchSize;
    this.low = low;
    this.high = high;
  }

  /** The log-variance of u, [B,K]. */
  get logVar(): tf.Tensor {
    return this.base.logVar;
  }

  /**
   * Map pre-squash values u to z = low + (high − low)·sigmoid(u).
   * @param u - any shape
   * @returns z, same shape
   */
  squash(u: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(tf.mul(tf.sigmoid(u), this.high - this.low), this.low));
  }

  /**
   * The deterministic code low + (high − low)·sigmoid(mean), shape [B,K].
   * @returns the code
   */
  mean(): tf.Tensor {
    return tf.tidy(() => {
      const m = this.base.mean();
      return this.squash(m);
    });
  }

  /**
   * Reparameterized samples of the pre-squash variable u.
   * @param n - number of draws; omitted gives [B,K], else [n,B,K]
   * @param seed - seed for reproducible draws
   * @returns u
   */
  samplePreSquash(n?: number, seed?: number): tf.Tensor {
    return this.base.sample(n, seed);
  }

  /**
   * Reparameterized samples z = squash(u).
   * @param n - number of draws; omitted gives [B,K], else [n,B,K]
   * @param seed - seed for reproducible draws
   * @returns samples inside the box
   * @throws {@link ShapeError} when n is not a positive integer
   */
  sample(n?: number, seed?: number): tf.Tensor {
    expectSampleCount(this.typeName, n);
    return tf.tidy(() => this.squash(this.base.sample(n, seed)));
  }

  /**
   * Per-dimension log density at z = squash(u), computed from u (stable even where sigmoid(u)
   * rounds to 0 or 1): log N(u) − log(high − low) + softplus(u) + softplus(−u).
   * @param u - pre-squash values [..., B, K]
   * @returns shape [..., B, K]
   */
  logProbPerDimFromPreSquash(u: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const jac = tf.add(tf.softplus(u), tf.softplus(tf.neg(u)));
      return tf.add(tf.sub(this.base.logProbPerDim(u), Math.log(this.high - this.low)), jac);
    });
  }

  /**
   * Per-dimension log density by change of variables; −∞ outside the open box. Values within
   * 1e-6 of an edge (relative to the width) are clamped there, as float32 cannot resolve them.
   * @param z - values [..., B, K]
   * @returns shape [..., B, K]
   * @throws {@link ShapeError} when the last axis is not K
   */
  logProbPerDim(z: tf.Tensor): tf.Tensor {
    expectEvent(this.typeName, z, this.eventSize);
    return tf.tidy(() => {
      const s = tf.div(tf.sub(z, this.low), this.high - this.low);
      const inside = tf.logicalAnd(tf.greater(s, 0), tf.less(s, 1));
      const sc = tf.clipByValue(s, EDGE, 1 - EDGE);
      const u = tf.sub(tf.log(sc), tf.log1p(tf.neg(sc)));
      const lp = this.logProbPerDimFromPreSquash(u);
      return tf.where(tf.broadcastTo(inside, lp.shape), lp, tf.fill(lp.shape, -Infinity));
    });
  }

  /**
   * Log density summed over the event (−∞ outside the box).
   * @param z - values [..., B, K]
   * @returns shape [..., B]
   * @throws {@link ShapeError} when the last axis is not K
   */
  logProb(z: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sum(this.logProbPerDim(z), -1));
  }
}

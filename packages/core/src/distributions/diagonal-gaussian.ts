import * as tf from '@tensorflow/tfjs';
import type { Distribution } from './distribution.js';
import { validateInterval, validateParameters, type DistributionOptions } from './validate-args.js';
import { broadcastBatch, expectSameEvent } from './batch.js';
import { expectEvent, expectRank, expectSampleCount } from './shapes.js';
import { tfSeed } from '../random/tf-seed.js';
import { randomNormalFast } from '../random/fast-random-normal.js';
import { reparameterize } from '../fused/reparameterize.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * A batch of Gaussians with diagonal covariance, N(μ, diag(exp(logVar))), parameterized by
 * mean and log-variance as in the seeds' VIB layer (Su 2018; Alemi et al. 2017).
 *
 * Sampling is reparameterized, z = μ + exp(½·logVar)·ε with ε ~ N(0, I), so gradients flow
 * to both parameters. The parameter tensors are held, not copied: do not dispose them while
 * the distribution is in use.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { DiagonalGaussian } from '@vib/core';
 * const p = new DiagonalGaussian(tf.tensor2d([[0, 1]]), tf.tensor2d([[0, -2]]));
 * p.sample(10).shape;          // [10, 1, 2]
 * p.logProb(tf.zeros([1, 2])); // shape [1]
 * ```
 */
export class DiagonalGaussian implements Distribution {
  /** Stable type name used in messages and serialization. */
  static readonly typeName: string = 'DiagonalGaussian';
  readonly typeName: string = 'DiagonalGaussian';
  readonly eventSize: number;
  readonly batchSize: number;
  /** The mean parameter μ, shape [B,K] (or [1,K]). */
  readonly loc: tf.Tensor;
  /** The log-variance parameter, shape [B,K] (or [1,K]). */
  readonly logVar: tf.Tensor;

  /**
   * @param mean - μ, shape [B,K]
   * @param logVar - log σ², shape [B,K] (B may be 1 in either to broadcast)
   * @param options - `validateArgs`: check the parameters (default: `getDefaultValidateArgs()`, true)
   * @throws {@link ShapeError} when either is not rank 2 or their shapes disagree
   * @throws {@link InvalidParameterError} when a parameter is outside its domain and validation is on
   */
  constructor(mean: tf.Tensor, logVar: tf.Tensor, options?: DistributionOptions) {
    const ms = expectRank('DiagonalGaussian mean', mean, 2, '[B,K]');
    const vs = expectRank('DiagonalGaussian logVar', logVar, 2, '[B,K]');
    expectSameEvent('DiagonalGaussian', [['mean', ms], ['logVar', vs]]);
    this.batchSize = broadcastBatch('DiagonalGaussian', [['mean', ms], ['logVar', vs]]);
    this.eventSize = ms[1] ?? 0;
    this.loc = mean;
    this.logVar = logVar;
    // logVar = −∞ is a zero scale, +∞ an infinite one: both refused with NaN
    validateParameters('DiagonalGaussian', options, [['mean', mean, 'finite'], ['logVar', logVar, 'finite']]);
  }

  /**
   * The mean μ broadcast to [B,K] (a new tensor).
   * @returns μ
   */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.loc, [this.batchSize, this.eventSize]).clone());
  }

  /**
   * The standard deviation exp(½·logVar), shape [B,K].
   * @returns σ
   */
  stddev(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.exp(tf.mul(this.logVar, 0.5)), [this.batchSize, this.eventSize]));
  }

  /**
   * The covariance diag(exp(logVar)), shape [B,K,K].
   * @returns Σ
   */
  covariance(): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.expandDims(this.variance(), -1), tf.expandDims(tf.eye(this.eventSize), 0)));
  }

  /**
   * The variance exp(logVar), shape [B,K].
   * @returns σ²
   */
  variance(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.exp(this.logVar), [this.batchSize, this.eventSize]));
  }

  /**
   * Reparameterized samples z = μ + σ·ε.
   * @param n - number of draws; omitted gives [B,K], else [n,B,K]
   * @param seed - seed for reproducible draws
   * @returns samples
   * @throws {@link ShapeError} when n is not a positive integer
   */
  sample(n?: number, seed?: number): tf.Tensor {
    expectSampleCount(this.typeName, n);
    return tf.tidy(() => {
      const eps = randomNormalFast([n ?? 1, this.batchSize, this.eventSize], tfSeed(seed));
      if (n === undefined) return reparameterize(this.loc, this.logVar, tf.reshape(eps, [this.batchSize, this.eventSize]));
      return tf.add(this.loc, tf.mul(tf.exp(tf.mul(this.logVar, 0.5)), eps));
    });
  }

  /**
   * Per-dimension log density −½(log 2π + logVar + (z−μ)²/σ²).
   * @param z - values [..., B, K]
   * @returns shape [..., B, K]
   * @throws {@link ShapeError} when the last axis is not K
   */
  logProbPerDim(z: tf.Tensor): tf.Tensor {
    expectEvent(this.typeName, z, this.eventSize);
    return tf.tidy(() => {
      const sq = tf.mul(tf.square(tf.sub(z, this.loc)), tf.exp(tf.neg(this.logVar)));
      return tf.mul(tf.add(tf.add(sq, this.logVar), LOG_2PI), -0.5);
    });
  }

  /**
   * Log density summed over the event.
   * @param z - values [..., B, K]
   * @returns shape [..., B]
   * @throws {@link ShapeError} when the last axis is not K
   */
  logProb(z: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sum(this.logProbPerDim(z), -1));
  }

  /**
   * Entropy ½·Σ_k (log 2πe + logVar_k) in nats.
   * @returns shape [B]
   */
  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const lv = tf.broadcastTo(this.logVar, [this.batchSize, this.eventSize]);
      return tf.mul(tf.sum(tf.add(lv, LOG_2PI + 1), -1), 0.5);
    });
  }
}

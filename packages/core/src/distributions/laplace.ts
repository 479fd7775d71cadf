import * as tf from '@tensorflow/tfjs';
import type { Distribution } from './distribution.js';
import { validateInterval, validateParameters, type DistributionOptions } from './validate-args.js';
import { broadcastBatch, expectSameEvent } from './batch.js';
import { expectEvent, expectRank, expectSampleCount } from './shapes.js';
import { tfSeed } from '../random/tf-seed.js';

const LOG_2 = Math.log(2);

/**
 * A batch of factorized Laplace distributions, density Π_k exp(−|z_k − loc_k|/b_k)/(2 b_k) with
 * scale b = exp(logScale).
 *
 * Sampling is reparameterized as z = loc + b·(E₁ − E₂) with E₁, E₂ ~ Exp(1) independent
 * (E = −log(1 − u), u ~ U[0,1)), so gradients flow to loc and logScale.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Laplace } from '@vib/core';
 * const p = new Laplace(tf.zeros([1, 3]), tf.zeros([1, 3]));
 * p.entropy(); // [3·(1 + log 2)]
 * ```
 */
export class Laplace implements Distribution {
  /** Stable type name used in messages and serialization. */
  static readonly typeName: string = 'Laplace';
  readonly typeName: string = 'Laplace';
  readonly eventSize: number;
  readonly batchSize: number;
  /** Location parameter, [B,K]. */
  readonly loc: tf.Tensor;
  /** Log of the scale b, [B,K]. */
  readonly logScale: tf.Tensor;

  /**
   * @param loc - locations, shape [B,K]
   * @param logScale - log scales, shape [B,K] (B may be 1 in either to broadcast)
   * @param options - `validateArgs`: check the parameters (default: `getDefaultValidateArgs()`, true)
   * @throws {@link ShapeError} when either is not rank 2 or their shapes disagree
   * @throws {@link InvalidParameterError} when a parameter is outside its domain and validation is on
   */
  constructor(loc: tf.Tensor, logScale: tf.Tensor, options?: DistributionOptions) {
    const ls = expectRank('Laplace loc', loc, 2, '[B,K]');
    const ss = expectRank('Laplace logScale', logScale, 2, '[B,K]');
    expectSameEvent('Laplace', [['loc', ls], ['logScale', ss]]);
    this.batchSize = broadcastBatch('Laplace', [['loc', ls], ['logScale', ss]]);
    this.eventSize = ls[1] ?? 0;
    this.loc = loc;
    this.logScale = logScale;
    validateParameters('Laplace', options, [['loc', loc, 'finite'], ['logScale', logScale, 'finite']]);
  }

  /**
   * The mean (= loc), shape [B,K].
   * @returns loc
   */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.loc, [this.batchSize, this.eventSize]).clone());
  }

  /**
   * The scale b = exp(logScale), shape [B,K] (variance is 2b²).
   * @returns b
   */
  scale(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.exp(this.logScale), [this.batchSize, this.eventSize]));
  }

  /**
   * Reparameterized samples loc + b·(E₁ − E₂).
   * @param n - number of draws; omitted gives [B,K], else [n,B,K]
   * @param seed - seed for reproducible draws (the second exponential uses seed + 1)
   * @returns samples
   * @throws {@link ShapeError} when n is not a positive integer
   */
  sample(n?: number, seed?: number): tf.Tensor {
    expectSampleCount(this.typeName, n);
    return tf.tidy(() => {
      const shape = [n ?? 1, this.batchSize, this.eventSize];
      const exp1 = (s: number | undefined): tf.Tensor =>
        tf.neg(tf.log1p(tf.neg(tf.randomUniform(shape, 0, 1, 'float32', tfSeed(s)))));
      const e = tf.sub(exp1(seed), exp1(seed === undefined ? undefined : seed + 1));
      const z = tf.add(this.loc, tf.mul(tf.exp(this.logScale), e));
      return n === undefined ? tf.reshape(z, [this.batchSize, this.eventSize]) : z;
    });
  }

  /**
   * Per-dimension log density −log 2 − logScale − |z − loc|/b.
   * @param z - values [..., B, K]
   * @returns shape [..., B, K]
   * @throws {@link ShapeError} when the last axis is not K
   */
  logProbPerDim(z: tf.Tensor): tf.Tensor {
    expectEvent(this.typeName, z, this.eventSize);
    return tf.tidy(() => {
      const dev = tf.mul(tf.abs(tf.sub(z, this.loc)), tf.exp(tf.neg(this.logScale)));
      return tf.neg(tf.add(tf.add(dev, this.logScale), LOG_2));
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
   * Entropy Σ_k (1 + log 2 + logScale_k) in nats.
   * @returns shape [B]
   */
  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const ls = tf.broadcastTo(this.logScale, [this.batchSize, this.eventSize]);
      return tf.sum(tf.add(ls, 1 + LOG_2), -1);
    });
  }
}

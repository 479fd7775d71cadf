import * as tf from '@tensorflow/tfjs';
import type { Distribution } from './distribution.js';
import { validateInterval, validateParameters, type DistributionOptions } from './validate-args.js';
import { broadcastBatch, expectSameEvent } from './batch.js';
import { expectEvent, expectRank, expectSampleCount } from './shapes.js';
import { tfSeed } from '../random/tf-seed.js';

/**
 * A batch of uniform distributions on boxes Π_k [low_k, high_k].
 *
 * Sampling is reparameterized, z = low + (high − low)·u with u ~ U[0,1)^K. Outside the box the
 * density is 0, so {@link Uniform.logProb} returns −∞ there (it does not throw); KL dispatch turns
 * that into an {@link InfiniteKLError}. The caller keeps high > low; it is not checked here,
 * since checking would read tensor values back from the device.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Uniform } from '@vib/core';
 * const r = new Uniform(tf.fill([1, 2], -1), tf.fill([1, 2], 1));
 * r.entropy(); // [log 4]
 * ```
 */
export class Uniform implements Distribution {
  /** Stable type name used in messages and serialization. */
  static readonly typeName: string = 'Uniform';
  readonly typeName: string = 'Uniform';
  readonly eventSize: number;
  readonly batchSize: number;
  /** Lower corner of the box, [B,K]. */
  readonly low: tf.Tensor;
  /** Upper corner of the box, [B,K]. */
  readonly high: tf.Tensor;

  /**
   * @param low - lower bounds, shape [B,K]
   * @param high - upper bounds, shape [B,K] (B may be 1 in either to broadcast)
   * @param options - `validateArgs`: check the parameters (default: `getDefaultValidateArgs()`, true)
   * @throws {@link ShapeError} when either is not rank 2 or their shapes disagree
   * @throws {@link InvalidParameterError} when a parameter is outside its domain and validation is on
   */
  constructor(low: tf.Tensor, high: tf.Tensor, options?: DistributionOptions) {
    const ls = expectRank('Uniform low', low, 2, '[B,K]');
    const hs = expectRank('Uniform high', high, 2, '[B,K]');
    expectSameEvent('Uniform', [['low', ls], ['high', hs]]);
    this.batchSize = broadcastBatch('Uniform', [['low', ls], ['high', hs]]);
    this.eventSize = ls[1] ?? 0;
    this.low = low;
    this.high = high;
    validateInterval('Uniform', options, low, high);
  }

  /**
   * The box centre (low + high)/2, shape [B,K].
   * @returns the mean
   */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.mul(tf.add(this.low, this.high), 0.5), [this.batchSize, this.eventSize]));
  }

  /**
   * Reparameterized samples low + (high − low)·u.
   * @param n - number of draws; omitted gives [B,K], else [n,B,K]
   * @param seed - seed for reproducible draws
   * @returns samples
   * @throws {@link ShapeError} when n is not a positive integer
   */
  sample(n?: number, seed?: number): tf.Tensor {
    expectSampleCount(this.typeName, n);
    return tf.tidy(() => {
      const u = tf.randomUniform([n ?? 1, this.batchSize, this.eventSize], 0, 1, 'float32', tfSeed(seed));
      const z = tf.add(this.low, tf.mul(tf.sub(this.high, this.low), u));
      return n === undefined ? tf.reshape(z, [this.batchSize, this.eventSize]) : z;
    });
  }

  /**
   * Per-dimension log density: −log(high − low) inside [low, high], −∞ outside.
   * @param z - values [..., B, K]
   * @returns shape [..., B, K]
   * @throws {@link ShapeError} when the last axis is not K
   */
  logProbPerDim(z: tf.Tensor): tf.Tensor {
    expectEvent(this.typeName, z, this.eventSize);
    return tf.tidy(() => {
      const inside = tf.logicalAnd(tf.greaterEqual(z, this.low), tf.lessEqual(z, this.high));
      const lp = tf.neg(tf.log(tf.sub(this.high, this.low)));
      const full = tf.broadcastTo(lp, inside.shape);
      return tf.where(inside, full, tf.fill(inside.shape, -Infinity));
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

  /**
   * Entropy Σ_k log(high_k − low_k) in nats.
   * @returns shape [B]
   */
  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const w = tf.broadcastTo(tf.log(tf.sub(this.high, this.low)), [this.batchSize, this.eventSize]);
      return tf.sum(w, -1);
    });
  }
}

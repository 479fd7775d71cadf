import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors/config-error.js';
import type { Distribution } from './distribution.js';
import { expectRank, expectSampleCount } from './shapes.js';

/**
 * A batch of point masses δ(z − μ): the "posterior" of a deterministic encoder. Every sample is μ,
 * so a network built on it is an ordinary deterministic classifier (the baseline of Alemi et al. 2017).
 * It has no density: `logProb` throws, and its rate is reported as 0 by the bottleneck rather than
 * through KL dispatch (KL(δ ‖ r) is infinite for any continuous r).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { PointMass } from '@vib/core';
 * const p = new PointMass(tf.tensor2d([[1, 2]]));
 * p.sample(3).shape; // [3, 1, 2], every row [1, 2]
 * ```
 */
export class PointMass implements Distribution {
  /** Stable type name used in messages and serialization. */
  static readonly typeName: string = 'PointMass';
  readonly typeName: string = 'PointMass';
  readonly eventSize: number;
  readonly batchSize: number;
  /** The location μ, shape [B,K]. */
  readonly loc: tf.Tensor;

  /**
   * @param loc - μ, shape [B,K]
   * @throws {@link ShapeError} when it is not rank 2
   */
  constructor(loc: tf.Tensor) {
    const s = expectRank('PointMass loc', loc, 2, '[B,K]');
    this.batchSize = s[0] ?? 1;
    this.eventSize = s[1] ?? 0;
    this.loc = loc;
  }

  /**
   * μ (a new tensor).
   * @returns [B,K]
   */
  mean(): tf.Tensor {
    return tf.clone(this.loc);
  }

  /**
   * "Samples": μ repeated; gradients flow to μ.
   * @param n - number of draws; omitted gives [B,K], else [n,B,K]
   * @param _seed - ignored (nothing is random)
   * @returns μ, or μ stacked n times
   * @throws {@link ShapeError} when n is not a positive integer
   */
  sample(n?: number, _seed?: number): tf.Tensor {
    expectSampleCount(this.typeName, n);
    if (n === undefined) return tf.clone(this.loc);
    return tf.tidy(() => tf.broadcastTo(tf.expandDims(this.loc, 0), [n, this.batchSize, this.eventSize]).clone());
  }

  /**
   * A point mass has no density.
   * @param _z - ignored
   * @returns never
   * @throws {@link ConfigError} always
   */
  logProb(_z: tf.Tensor): tf.Tensor {
    throw new ConfigError('PointMass has no density: a deterministic encoder has no log p(z|x); use a stochastic posterior (model "vib") for density-based estimates');
  }
}

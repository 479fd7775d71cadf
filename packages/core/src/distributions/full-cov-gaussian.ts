import * as tf from '@tensorflow/tfjs';
import type { Distribution } from './distribution.js';
import { getDefaultValidateArgs, validateParameters, type DistributionOptions } from './validate-args.js';
import { broadcastBatch } from './batch.js';
import { ShapeError } from '../errors/shape-error.js';
import { expectEvent, expectRank, expectSampleCount, formatShape } from './shapes.js';
import { batchDiagonal, lowerMask, solveLowerTriangular } from './triangular.js';
import { tfSeed } from '../random/tf-seed.js';
import { randomNormalFast } from '../random/fast-random-normal.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * A batch of Gaussians with full covariance Σ = L·Lᵀ, given by the mean and the lower-triangular
 * Cholesky factor L (positive diagonal), as in Alemi et al. (2017)'s full-covariance encoder.
 *
 * Only the lower triangle of `scaleTril` is read (the upper triangle is masked to zero), so an
 * encoder may emit a dense K×K head. Positivity of the diagonal is the caller's job (e.g. exp or
 * softplus of the raw diagonal); it is not checked, since that would read values from the device.
 * Sampling is reparameterized, z = μ + L·ε. Does not factorize over dimensions (no logProbPerDim).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FullCovGaussian } from '@vib/core';
 * const p = new FullCovGaussian(tf.zeros([1, 2]), tf.tensor3d([[[1, 0], [0.5, 1]]]));
 * p.covariance(); // [[[1, 0.5], [0.5, 1.25]]]
 * ```
 */
export class FullCovGaussian implements Distribution {
  /** Stable type name used in messages and serialization. */
  static readonly typeName: string = 'FullCovGaussian';
  readonly typeName: string = 'FullCovGaussian';
  readonly eventSize: number;
  readonly batchSize: number;
  /** The mean μ, [B,K]. */
  readonly loc: tf.Tensor;
  /** The Cholesky factor L as given, [B,K,K] (use {@link FullCovGaussian.tril} for the masked factor). */
  readonly scaleTril: tf.Tensor;

  /**
   * @param mean - μ, shape [B,K]
   * @param scaleTril - L, shape [B,K,K] (B may be 1 in either to broadcast)
   * @param options - `validateArgs`: check the parameters (default: `getDefaultValidateArgs()`, true)
   * @throws {@link ShapeError} when ranks or sizes disagree
   * @throws {@link InvalidParameterError} when a parameter is outside its domain and validation is on
   */
  constructor(mean: tf.Tensor, scaleTril: tf.Tensor, options?: DistributionOptions) {
    const ms = expectRank('FullCovGaussian mean', mean, 2, '[B,K]');
    const ls = expectRank('FullCovGaussian scaleTril', scaleTril, 3, '[B,K,K]');
    const k = ms[1] ?? 0;
    if (ls[1] !== k || ls[2] !== k) {
      throw new ShapeError(
        `FullCovGaussian scaleTril must have shape [B,${k},${k}] to match mean ${formatShape(ms)}, got ${formatShape(ls)}`,
        { details: { expected: `[B,${k},${k}]`, actual: ls } },
      );
    }
    this.batchSize = broadcastBatch('FullCovGaussian', [['mean', ms], ['scaleTril', ls]]);
    this.eventSize = k;
    this.loc = mean;
    this.scaleTril = scaleTril;
    if (options?.validateArgs ?? getDefaultValidateArgs()) {
      const diagonal = tf.tidy(() => tf.sum(tf.mul(scaleTril, tf.eye(k)), -1));
      try {
        validateParameters('FullCovGaussian', options, [['mean', mean, 'finite'], ['scaleTril', scaleTril, 'finite'], ['scaleTril diagonal', diagonal, 'positive']]);
      } finally {
        diagonal.dispose();
      }
    }
  }

  /**
   * The factor L with its upper triangle zeroed, shape [B or 1,K,K].
   * @returns L
   */
  tril(): tf.Tensor {
    return tf.tidy(() => tf.mul(this.scaleTril, lowerMask(this.eventSize)));
  }

  /**
   * The mean μ, shape [B,K].
   * @returns μ
   */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.loc, [this.batchSize, this.eventSize]).clone());
  }

  /**
   * The covariance Σ = L·Lᵀ, shape [B or 1,K,K].
   * @returns Σ
   */
  covariance(): tf.Tensor {
    return tf.tidy(() => {
      const l = this.tril();
      return tf.matMul(l, l, false, true);
    });
  }

  /**
   * Σ_k log L_kk = ½·log det Σ, shape [B or 1].
   * @returns half the log-determinant of Σ
   */
  halfLogDet(): tf.Tensor {
    return tf.tidy(() => tf.sum(tf.log(batchDiagonal(this.scaleTril)), -1));
  }

  /**
   * Reparameterized samples z = μ + L·ε.
   * @param n - number of draws; omitted gives [B,K], else [n,B,K]
   * @param seed - seed for reproducible draws
   * @returns samples
   * @throws {@link ShapeError} when n is not a positive integer
   */
  sample(n?: number, seed?: number): tf.Tensor {
    expectSampleCount(this.typeName, n);
    return tf.tidy(() => {
      const b = this.batchSize;
      const k = this.eventSize;
      const eps = randomNormalFast([b, k, n ?? 1], tfSeed(seed));
      const l = tf.broadcastTo(this.tril(), [b, k, k]);
      const lz = tf.transpose(tf.matMul(l, eps), [2, 0, 1]);
      const z = tf.add(this.loc, lz);
      return n === undefined ? tf.reshape(z, [b, k]) : z;
    });
  }

  /**
   * Log density −½(K log 2π + log det Σ + ‖L⁻¹(z − μ)‖²).
   * @param z - values [..., B, K] (leading axes any, or a single [K] vector)
   * @returns shape [..., B]
   * @throws {@link ShapeError} when the last axis is not K
   */
  logProb(z: tf.Tensor): tf.Tensor {
    expectEvent(this.typeName, z, this.eventSize);
    return tf.tidy(() => {
      const k = this.eventSize;
      let diff = tf.sub(z, this.loc);
      if (diff.rank < 2) diff = tf.reshape(diff, [1, k]);
      const outer = diff.shape.slice(0, -2);
      const b = diff.shape[diff.rank - 2] ?? 1;
      const s = outer.reduce((a, d) => a * d, 1);
      const cols = tf.transpose(tf.reshape(diff, [s, b, k]), [1, 2, 0]);
      const white = solveLowerTriangular(this.tril(), cols);
      const maha = tf.transpose(tf.sum(tf.square(white), 1), [1, 0]);
      const bOut = white.shape[0] ?? b;
      const lp = tf.sub(tf.mul(tf.add(maha, k * LOG_2PI), -0.5), this.halfLogDet());
      return tf.reshape(lp, [...outer, bOut]);
    });
  }

  /**
   * Entropy ½K(1 + log 2π) + Σ_k log L_kk in nats.
   * @returns shape [B]
   */
  entropy(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.add(this.halfLogDet(), 0.5 * this.eventSize * (1 + LOG_2PI)), [this.batchSize]),
    );
  }
}

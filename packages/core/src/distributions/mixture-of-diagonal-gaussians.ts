import * as tf from '@tensorflow/tfjs';
import type { Distribution } from './distribution.js';
import { validateParameters, type DistributionOptions } from './validate-args.js';
import { ShapeError } from '../errors/shape-error.js';
import { expectEvent, expectRank, expectSampleCount, formatShape } from './shapes.js';
import { tfSeed } from '../random/tf-seed.js';
import { randomNormalFast } from '../random/fast-random-normal.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * A mixture of M diagonal Gaussians over ℝ^K with batch size 1 (a prior r(z), e.g. the
 * mixture-of-Gaussians marginal of Alemi et al. 2017): r(z) = Σ_m π_m N(z; μ_m, diag(exp(logVar_m))),
 * π = softmax(logits).
 *
 * Sampling draws a component by a categorical draw (no gradient to the logits), then a
 * reparameterized Gaussian sample inside it (gradients flow to means and logVars).
 * logProb uses log-sum-exp over components. No closed-form entropy.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { MixtureOfDiagonalGaussians } from '@vib/core';
 * const r = new MixtureOfDiagonalGaussians(tf.zeros([2]), tf.tensor2d([[-2], [2]]), tf.zeros([2, 1]));
 * r.sample(100).shape; // [100, 1, 1]
 * ```
 */
export class MixtureOfDiagonalGaussians implements Distribution {
  /** Stable type name used in messages and serialization. */
  static readonly typeName: string = 'MixtureOfDiagonalGaussians';
  readonly typeName: string = 'MixtureOfDiagonalGaussians';
  readonly eventSize: number;
  readonly batchSize = 1;
  /** Number of components M. */
  readonly components: number;
  /** Mixture logits, [M]. */
  readonly logits: tf.Tensor;
  /** Component means, [M,K]. */
  readonly means: tf.Tensor;
  /** Component log-variances, [M,K]. */
  readonly logVars: tf.Tensor;

  /**
   * @param logits - mixture logits, shape [M]
   * @param means - component means, shape [M,K]
   * @param logVars - component log-variances, shape [M,K]
   * @param options - `validateArgs`: check the parameters (default: `getDefaultValidateArgs()`, true)
   * @throws {@link ShapeError} when shapes disagree
   * @throws {@link InvalidParameterError} when a parameter is outside its domain and validation is on
   */
  constructor(logits: tf.Tensor, means: tf.Tensor, logVars: tf.Tensor, options?: DistributionOptions) {
    const ls = expectRank('MixtureOfDiagonalGaussians logits', logits, 1, '[M]');
    const ms = expectRank('MixtureOfDiagonalGaussians means', means, 2, '[M,K]');
    const vs = expectRank('MixtureOfDiagonalGaussians logVars', logVars, 2, '[M,K]');
    const m = ls[0] ?? 0;
    if (ms[0] !== m || vs[0] !== m || vs[1] !== ms[1]) {
      throw new ShapeError(
        `MixtureOfDiagonalGaussians: means and logVars must be [${m},K] for ${m} logits, got means ${formatShape(ms)}, logVars ${formatShape(vs)}`,
        { details: { expected: `[${m},K]`, actual: { means: ms, logVars: vs } } },
      );
    }
    this.components = m;
    this.eventSize = ms[1] ?? 0;
    this.logits = logits;
    this.means = means;
    this.logVars = logVars;
    validateParameters('MixtureOfDiagonalGaussians', options, [['logits', logits, 'not-nan'], ['means', means, 'finite'], ['logVars', logVars, 'finite']]);
  }

  /**
   * Mixture weights π = softmax(logits), shape [M].
   * @returns π
   */
  weights(): tf.Tensor {
    return tf.softmax(this.logits);
  }

  /**
   * The mixture mean Σ_m π_m μ_m, shape [1,K].
   * @returns the mean
   */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.matMul(tf.reshape(this.weights(), [1, -1]), this.means));
  }

  /**
   * Samples: component by categorical draw, then μ_m + σ_m·ε.
   * @param n - number of draws; omitted gives [1,K], else [n,1,K]
   * @param seed - seed for reproducible draws (the Gaussian noise uses seed + 1)
   * @returns samples
   * @throws {@link ShapeError} when n is not a positive integer
   */
  sample(n?: number, seed?: number): tf.Tensor {
    expectSampleCount(this.typeName, n);
    return tf.tidy(() => {
      const count = n ?? 1;
      const idx = tf.reshape(tf.multinomial(tf.reshape(this.logits, [1, -1]) as tf.Tensor2D, count, tfSeed(seed)), [count]);
      const mu = tf.gather(this.means, idx);
      const sd = tf.exp(tf.mul(tf.gather(this.logVars, idx), 0.5));
      const eps = randomNormalFast([count, this.eventSize], tfSeed(seed === undefined ? undefined : seed + 1));
      const z = tf.add(mu, tf.mul(sd, eps));
      return n === undefined ? tf.reshape(z, [1, this.eventSize]) : tf.reshape(z, [count, 1, this.eventSize]);
    });
  }

  /**
   * log Σ_m π_m N(z; μ_m, σ_m²), by log-sum-exp over components.
   * @param z - values [..., B, K]
   * @returns shape [..., B]
   * @throws {@link ShapeError} when the last axis is not K
   */
  logProb(z: tf.Tensor): tf.Tensor {
    expectEvent(this.typeName, z, this.eventSize);
    return tf.tidy(() => {
      const zc = tf.expandDims(z, -2);
      const sq = tf.mul(tf.square(tf.sub(zc, this.means)), tf.exp(tf.neg(this.logVars)));
      const comp = tf.mul(tf.sum(tf.add(tf.add(sq, this.logVars), LOG_2PI), -1), -0.5);
      return tf.logSumExp(tf.add(comp, tf.logSoftmax(this.logits)), -1);
    });
  }
}

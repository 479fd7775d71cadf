import * as tf from '@tensorflow/tfjs';
import { ConfigError, tfSeed, type Distribution } from '@vib/core';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * r(z) = N(0, s²I) over ℝ^K with batch size 1: a standard normal widened (s > 1) or narrowed (s < 1).
 * It is its own class, not a DiagonalGaussian, so KL dispatch finds no built-in rule for it: without the
 * `kl` plugin of this package the rate would be a Monte Carlo estimate.
 */
export class ScaledNormal implements Distribution {
  /** The registered type name KL rules are keyed by. */
  static readonly typeName: string = 'ScaledNormal';
  readonly typeName: string = 'ScaledNormal';
  readonly batchSize = 1;

  /**
   * @param eventSize - K
   * @param scale - s > 0
   * @throws {@link ConfigError} for a non-positive scale or K
   */
  constructor(
    readonly eventSize: number,
    readonly scale: number,
  ) {
    if (!(scale > 0) || !Number.isInteger(eventSize) || eventSize < 1) {
      throw new ConfigError(`ScaledNormal needs K ≥ 1 and s > 0, got K = ${eventSize}, s = ${scale}`);
    }
  }

  /**
   * Draws s·ε.
   * @param n - number of draws ([n,1,K]); omitted gives [1,K]
   * @param seed - seed for reproducible draws
   * @returns samples
   */
  sample(n?: number, seed?: number): tf.Tensor {
    const shape = n === undefined ? [1, this.eventSize] : [n, 1, this.eventSize];
    return tf.randomNormal(shape, 0, this.scale, 'float32', tfSeed(seed));
  }

  /**
   * log r(z_k) per dimension: −½(z/s)² − log s − ½ log 2π.
   * @param z - values [..., B, K]
   * @returns [..., B, K]
   */
  logProbPerDim(z: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sub(tf.mul(tf.square(tf.div(z, this.scale)), -0.5), Math.log(this.scale) + HALF_LOG_2PI));
  }

  /**
   * log r(z), summed over dimensions.
   * @param z - values [..., B, K]
   * @returns [..., B]
   */
  logProb(z: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sum(this.logProbPerDim(z), -1));
  }

  /**
   * The mean, 0.
   * @returns zeros [1,K]
   */
  mean(): tf.Tensor {
    return tf.zeros([1, this.eventSize]);
  }
}

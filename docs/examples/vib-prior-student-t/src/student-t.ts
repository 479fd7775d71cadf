import * as tf from '@tensorflow/tfjs';
import { ShapeError, tfSeed, type Distribution } from '@vib/core';
import { logGamma } from './log-gamma.js';

/**
 * A batch of factorized Student-t distributions over z ∈ ℝ^K with ν degrees of freedom:
 * density Π_k t_ν((z_k − loc_k)/s_k)/s_k, where
 * t_ν(u) = Γ((ν+1)/2) / (Γ(ν/2)·√(νπ)) · (1 + u²/ν)^(−(ν+1)/2).
 *
 * Heavier-tailed than a Gaussian (ν = 1 is the Cauchy distribution; ν → ∞ gives the normal).
 * It is not one of the built-in distribution classes, so KL dispatch has no closed form for
 * KL(p(z|x) ‖ r(z)) with it and falls back to a Monte Carlo estimate, per dimension since both
 * sides define `logProbPerDim`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * const r = new StudentT(3, tf.zeros([1, 2]), tf.ones([1, 2]));
 * r.logProb(tf.zeros([1, 2])); // 2 · log t_3(0)
 * ```
 */
export class StudentT implements Distribution {
  /** Stable type name, used by KL dispatch messages (never `constructor.name`). */
  static readonly typeName: string = 'StudentT';
  /** Stable type name of the instance. */
  readonly typeName: string = 'StudentT';
  /** Event size K. */
  readonly eventSize: number;
  /** Batch size B (1 for a prior that broadcasts over a batch). */
  readonly batchSize: number;
  /** Degrees of freedom ν > 0. */
  readonly degreesOfFreedom: number;
  /** Locations, [B, K]. */
  readonly loc: tf.Tensor;
  /** Scales s > 0, [B, K]. */
  readonly scale: tf.Tensor;
  private readonly logNormalizer: number;

  /**
   * @param degreesOfFreedom - ν > 0
   * @param loc - locations, shape [B, K]
   * @param scale - positive scales, shape [B, K]
   * @throws {@link ShapeError} when loc or scale is not rank 2 or their shapes differ
   * @throws RangeError when ν is not positive
   */
  constructor(degreesOfFreedom: number, loc: tf.Tensor, scale: tf.Tensor) {
    if (!(degreesOfFreedom > 0)) throw new RangeError(`StudentT needs ν > 0, got ${String(degreesOfFreedom)}`);
    if (loc.rank !== 2 || scale.rank !== 2 || loc.shape.join() !== scale.shape.join()) {
      throw new ShapeError(
        `StudentT needs loc and scale of the same shape [B,K], got [${loc.shape.join(',')}] and [${scale.shape.join(',')}]`,
      );
    }
    const nu = degreesOfFreedom;
    this.degreesOfFreedom = nu;
    this.loc = loc;
    this.scale = scale;
    this.batchSize = loc.shape[0] ?? 1;
    this.eventSize = loc.shape[1] ?? 0;
    this.logNormalizer = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI);
  }

  /**
   * Per-dimension log density.
   * @param z - values [..., B, K]
   * @returns log densities [..., B, K]
   */
  logProbPerDim(z: tf.Tensor): tf.Tensor {
    const nu = this.degreesOfFreedom;
    return tf.tidy(() => {
      const u = tf.div(tf.sub(z, this.loc), this.scale);
      const tail = tf.mul(tf.log1p(tf.div(tf.square(u), nu)), -(nu + 1) / 2);
      return tf.sub(tf.add(tail, this.logNormalizer), tf.log(this.scale));
    });
  }

  /**
   * Log density summed over the K dimensions.
   * @param z - values [..., B, K]
   * @returns log densities [..., B]
   */
  logProb(z: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sum(this.logProbPerDim(z), -1));
  }

  /**
   * Reparameterized samples z = loc + s·ε·√(ν/g), ε ~ N(0, 1), g ~ χ²_ν (= 2·Gamma(ν/2, 1)).
   * @param n - number of draws; omitted gives [B, K], else [n, B, K]
   * @param seed - optional seed
   * @returns samples
   */
  sample(n?: number, seed?: number): tf.Tensor {
    const nu = this.degreesOfFreedom;
    return tf.tidy(() => {
      const shape = [n ?? 1, this.batchSize, this.eventSize];
      const eps = tf.randomNormal(shape, 0, 1, 'float32', tfSeed(seed));
      const chi2 = tf.mul(tf.randomGamma(shape, nu / 2, 1, 'float32', tfSeed(seed === undefined ? undefined : seed + 1)), 2);
      const z = tf.add(this.loc, tf.mul(this.scale, tf.mul(eps, tf.sqrt(tf.div(nu, chi2)))));
      return n === undefined ? tf.reshape(z, [this.batchSize, this.eventSize]) : z;
    });
  }

  /**
   * The location (the mean when ν > 1, the median always), [B, K].
   * @returns loc broadcast to [B, K]
   */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.loc, [this.batchSize, this.eventSize]).clone());
  }
}

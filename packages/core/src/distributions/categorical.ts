import * as tf from '@tensorflow/tfjs';
import type { Distribution } from './distribution.js';
import { validateInterval, validateParameters, type DistributionOptions } from './validate-args.js';
import { expectRank, expectSampleCount, formatShape } from './shapes.js';
import { ShapeError } from '../errors/shape-error.js';
import { tfSeed } from '../random/tf-seed.js';

/**
 * A batch of categorical distributions over C classes, given by unnormalized logits [B,C].
 *
 * The event is the one-hot vector of the class, so `eventSize` is C. {@link Categorical.logProb}
 * accepts either one-hot floats [..., B, C] or int32 class indices [..., B] (the dtype decides).
 * Sampling is a categorical draw and is not reparameterized: no gradient flows through samples.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Categorical } from '@vib/core';
 * const c = new Categorical(tf.tensor2d([[0, 0, Math.log(2)]]));
 * c.logProb(tf.tensor1d([2], 'int32')); // [log ½]
 * ```
 */
export class Categorical implements Distribution {
  /** Stable type name used in messages and serialization. */
  static readonly typeName: string = 'Categorical';
  readonly typeName: string = 'Categorical';
  readonly eventSize: number;
  readonly batchSize: number;
  /** The logits, [B,C]. */
  readonly logits: tf.Tensor;

  /**
   * @param logits - unnormalized log-probabilities, shape [B,C]
   * @param options - `validateArgs`: check the parameters (default: `getDefaultValidateArgs()`, true)
   * @throws {@link ShapeError} when logits are not rank 2
   * @throws {@link InvalidParameterError} when a parameter is outside its domain and validation is on
   */
  constructor(logits: tf.Tensor, options?: DistributionOptions) {
    const s = expectRank('Categorical logits', logits, 2, '[B,C]');
    this.batchSize = s[0] ?? 1;
    this.eventSize = s[1] ?? 0;
    this.logits = logits;
    validateParameters('Categorical', options, [['logits', logits, 'not-nan']]);
  }

  /**
   * Normalized log-probabilities log π, shape [B,C].
   * @returns log π
   */
  logProbs(): tf.Tensor {
    return tf.logSoftmax(this.logits);
  }

  /**
   * Class probabilities π, shape [B,C] (the mean of the one-hot event).
   * @returns π
   */
  mean(): tf.Tensor {
    return tf.softmax(this.logits);
  }

  /**
   * One-hot samples (not reparameterized).
   * @param n - number of draws; omitted gives [B,C], else [n,B,C]
   * @param seed - seed for reproducible draws
   * @returns float32 one-hot samples
   * @throws {@link ShapeError} when n is not a positive integer
   */
  sample(n?: number, seed?: number): tf.Tensor {
    expectSampleCount(this.typeName, n);
    return tf.tidy(() => {
      const idx = tf.multinomial(this.logits as tf.Tensor2D, n ?? 1, tfSeed(seed));
      const hot = tf.cast(tf.oneHot(tf.reshape(idx, [-1]), this.eventSize), 'float32');
      const z = tf.transpose(tf.reshape(hot, [this.batchSize, n ?? 1, this.eventSize]), [1, 0, 2]);
      return n === undefined ? tf.reshape(z, [this.batchSize, this.eventSize]) : z;
    });
  }

  /**
   * Log-probability of classes.
   * @param z - either float one-hot vectors [..., B, C], or int32 indices [..., B]
   * @returns shape [..., B]
   * @throws {@link ShapeError} when a float input's last axis is not C
   */
  logProb(z: tf.Tensor): tf.Tensor {
    if (z.dtype !== 'int32' && (z.rank < 1 || z.shape[z.rank - 1] !== this.eventSize)) {
      throw new ShapeError(
        `Categorical.logProb expects one-hot floats [..., B, ${this.eventSize}] or int32 indices [..., B], got ${z.dtype} ${formatShape(z.shape)}`,
        { details: { expected: `[..., B, ${this.eventSize}]`, actual: z.shape } },
      );
    }
    return tf.tidy(() => {
      const hot = z.dtype === 'int32' ? tf.oneHot(z, this.eventSize).toFloat() : z;
      return tf.sum(tf.mul(hot, this.logProbs()), -1);
    });
  }

  /**
   * Entropy −Σ_c π_c log π_c in nats.
   * @returns shape [B]
   */
  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const lp = this.logProbs();
      return tf.neg(tf.sum(tf.mul(tf.exp(lp), lp), -1));
    });
  }
}

import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors/config-error.js';
import { DiagonalGaussian } from './diagonal-gaussian.js';

/**
 * The standard normal N(0, I) over ℝ^K with batch size 1: the seeds' default prior r(z).
 *
 * It is a {@link DiagonalGaussian} with mean 0 and logVar 0, so every rule for diagonal
 * Gaussians applies; KL dispatch prefers the dedicated DiagonalGaussian‖StandardNormal form.
 * Its parameter tensors are owned by the instance; call {@link StandardNormal.dispose} when done.
 *
 * @example
 * ```ts
 * import { StandardNormal } from '@vib/core';
 * const r = new StandardNormal(8);
 * r.sample(4).shape; // [4, 1, 8]
 * ```
 */
export class StandardNormal extends DiagonalGaussian {
  static override readonly typeName: string = 'StandardNormal';
  override readonly typeName: string = 'StandardNormal';

  /**
   * @param eventSize - K, the latent dimension
   * @throws {@link ConfigError} when K is not a positive integer
   */
  constructor(eventSize: number) {
    if (!Number.isInteger(eventSize) || eventSize < 1) {
      throw new ConfigError(`StandardNormal eventSize must be a positive integer, got ${String(eventSize)}`, {
        details: { field: 'eventSize', value: eventSize },
      });
    }
    // tf.keep: a prior built inside tf.tidy must outlive that scope.
    super(tf.keep(tf.zeros([1, eventSize])), tf.keep(tf.zeros([1, eventSize])));
  }

  /** Release the zero parameter tensors this instance created. */
  dispose(): void {
    this.loc.dispose();
    this.logVar.dispose();
  }
}

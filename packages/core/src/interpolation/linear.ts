import * as tf from '@tensorflow/tfjs';
import { checkFinite, checkSameShape, combine, type LatentArray } from './latent-code.js';

/**
 * Linear interpolation between two latent codes, z = (1 − α)·z₁ + α·z₂ (seed 001).
 *
 * Arrays give a new Float64Array; tensors (any equal shapes, e.g. [K] or a batch [B, K]) give a tensor.
 * Note that for two independent standard-normal codes the midpoint has variance ½ per dimension, so
 * it lies off the shell where r(z) = N(0, I) puts its mass; see {@link sphericalInterpolate}.
 *
 * @param z1 - the code at α = 0
 * @param z2 - the code at α = 1
 * @param alpha - position; values outside [0, 1] extrapolate
 * @returns the interpolated code
 * @throws {@link ShapeError} when the shapes differ
 * @throws {@link ConfigError} when α is not finite
 * @example
 * ```ts
 * linearInterpolate([0, 2], [4, 6], 0.25); // Float64Array [1, 3]
 * ```
 */
export function linearInterpolate(z1: LatentArray, z2: LatentArray, alpha: number): Float64Array;
export function linearInterpolate<T extends tf.Tensor>(z1: T, z2: T, alpha: number): T;
export function linearInterpolate(z1: LatentArray | tf.Tensor, z2: LatentArray | tf.Tensor, alpha: number): Float64Array | tf.Tensor {
  checkSameShape(z1, z2, 'linearInterpolate');
  checkFinite(alpha, 'alpha');
  if (z1 instanceof tf.Tensor) {
    return tf.tidy(() => tf.add(tf.mul(z1, 1 - alpha), tf.mul(z2 as tf.Tensor, alpha)));
  }
  return combine(z1, 1 - alpha, z2 as LatentArray, alpha);
}

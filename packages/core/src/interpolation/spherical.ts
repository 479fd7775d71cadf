import * as tf from '@tensorflow/tfjs';
import { checkFinite, checkSameShape, combine, type LatentArray } from './latent-code.js';

/**
 * The seeds' spherical interpolation z_θ = z₁·cos θ + z₂·sin θ (seed 001): z₁ at θ = 0, z₂ at θ = π/2.
 *
 * Why it suits a standard-normal prior: if z₁, z₂ ~ N(0, I) independently, then z_θ is Gaussian with
 * mean 0 and covariance (cos²θ + sin²θ)·I = I, so every point of the path is itself distributed as
 * N(0, I) and its norm follows the same χ distribution (‖z‖ ≈ √K) as real codes, whereas the linear
 * midpoint has covariance ½·I and norm ≈ √(K/2), a region the decoder has rarely seen.
 * For two fixed codes the norm is not constant unless they are orthogonal with equal norms; use
 * {@link slerp} for a great-circle path between arbitrary codes.
 *
 * Arrays give a new Float64Array; tensors of equal shape give a tensor.
 *
 * @param z1 - the code at θ = 0
 * @param z2 - the code at θ = π/2
 * @param theta - angle in radians
 * @returns the code z₁·cos θ + z₂·sin θ
 * @throws {@link ShapeError} when the shapes differ
 * @throws {@link ConfigError} when θ is not finite
 * @example
 * ```ts
 * sphericalInterpolate([1, 0], [0, 1], Math.PI / 4); // [√½, √½]
 * ```
 */
export function sphericalInterpolate(z1: LatentArray, z2: LatentArray, theta: number): Float64Array;
export function sphericalInterpolate<T extends tf.Tensor>(z1: T, z2: T, theta: number): T;
export function sphericalInterpolate(z1: LatentArray | tf.Tensor, z2: LatentArray | tf.Tensor, theta: number): Float64Array | tf.Tensor {
  checkSameShape(z1, z2, 'sphericalInterpolate');
  checkFinite(theta, 'theta');
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  if (z1 instanceof tf.Tensor) return tf.tidy(() => tf.add(tf.mul(z1, c), tf.mul(z2 as tf.Tensor, s)));
  return combine(z1, c, z2 as LatentArray, s);
}

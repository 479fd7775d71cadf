import * as tf from '@tensorflow/tfjs';
import { checkFinite, checkSameShape, combine, type LatentArray } from './latent-code.js';

/** Below this sin Ω (codes within ~1e-6 rad of parallel or antiparallel) slerp falls back to linear. */
export const SLERP_PARALLEL_EPSILON = 1e-6;

/**
 * Spherical linear interpolation (Shoemake 1985) along the great circle between two codes:
 * z = sin((1−t)Ω)/sin Ω · z₁ + sin(tΩ)/sin Ω · z₂, with Ω the angle between z₁ and z₂.
 *
 * When ‖z₁‖ = ‖z₂‖ every point keeps that norm; in general the norm varies smoothly between them.
 * When the codes are nearly parallel (sin Ω < {@link SLERP_PARALLEL_EPSILON}) the great circle is
 * undefined or degenerate and it falls back to linear interpolation (for exactly opposite codes that
 * path passes through 0). Tensors: the angle is taken over the last axis, so [K] or a batch [B, K]
 * of pairs works.
 *
 * @param z1 - the code at t = 0
 * @param z2 - the code at t = 1
 * @param t - position in [0, 1] (outside it extrapolates along the circle)
 * @returns the interpolated code (Float64Array for arrays, a tensor for tensors)
 * @throws {@link ShapeError} when the shapes differ
 * @throws {@link ConfigError} when t is not finite
 * @example
 * ```ts
 * slerp([1, 0], [0, 1], 0.5); // [√½, √½], norm 1
 * ```
 */
export function slerp(z1: LatentArray, z2: LatentArray, t: number): Float64Array;
export function slerp<T extends tf.Tensor>(z1: T, z2: T, t: number): T;
export function slerp(z1: LatentArray | tf.Tensor, z2: LatentArray | tf.Tensor, t: number): Float64Array | tf.Tensor {
  checkSameShape(z1, z2, 'slerp');
  checkFinite(t, 't');
  if (z1 instanceof tf.Tensor) return slerpTensor(z1, z2 as tf.Tensor, t);
  const a = z1;
  const b = z2 as LatentArray;
  let dot = 0;
  let n1 = 0;
  let n2 = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    n1 += a[i]! * a[i]!;
    n2 += b[i]! * b[i]!;
  }
  const denom = Math.sqrt(n1 * n2);
  const cos = denom > 0 ? Math.min(1, Math.max(-1, dot / denom)) : 1;
  const omega = Math.acos(cos);
  const sin = Math.sin(omega);
  if (sin < SLERP_PARALLEL_EPSILON) return combine(a, 1 - t, b, t);
  return combine(a, Math.sin((1 - t) * omega) / sin, b, Math.sin(t * omega) / sin);
}

function slerpTensor(z1: tf.Tensor, z2: tf.Tensor, t: number): tf.Tensor {
  return tf.tidy(() => {
    const axis = z1.rank - 1;
    const dot = tf.sum(tf.mul(z1, z2), axis, true);
    const norms = tf.sqrt(tf.mul(tf.sum(tf.square(z1), axis, true), tf.sum(tf.square(z2), axis, true)));
    const cos = tf.clipByValue(tf.div(dot, tf.maximum(norms, 1e-30)), -1, 1);
    const omega = tf.acos(cos);
    const sin = tf.sin(omega);
    const parallel = tf.less(sin, SLERP_PARALLEL_EPSILON);
    const safeSin = tf.where(parallel, tf.onesLike(sin), sin);
    const w1 = tf.where(parallel, tf.fill(sin.shape, 1 - t), tf.div(tf.sin(tf.mul(omega, 1 - t)), safeSin));
    const w2 = tf.where(parallel, tf.fill(sin.shape, t), tf.div(tf.sin(tf.mul(omega, t)), safeSin));
    return tf.add(tf.mul(z1, w1), tf.mul(z2, w2));
  });
}

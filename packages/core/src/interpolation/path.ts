import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors/config-error.js';
import type { LatentArray } from './latent-code.js';
import { linearInterpolate } from './linear.js';
import { slerp } from './slerp.js';
import { sphericalInterpolate } from './spherical.js';

/**
 * How to move between two codes:
 * - `linear`: (1 − α)z₁ + αz₂, α from 0 to 1
 * - `spherical`: z₁·cos θ + z₂·sin θ, θ from 0 to π/2 (the seeds' form, for N(0, I) codes)
 * - `slerp`: the great circle from z₁ to z₂
 */
export type InterpolationKind = 'linear' | 'spherical' | 'slerp';

/** The most codes one path may hold (a million steps of a K = 256 code is 2 GB of Float64Arrays). */
export const MAX_INTERPOLATION_STEPS = 100_000;

/**
 * The sequence of `steps` codes from z₁ to z₂ (both included), evenly spaced in the path's parameter.
 *
 * @param kind - `linear`, `spherical` or `slerp`
 * @param z1 - the first code
 * @param z2 - the last code
 * @param steps - number of codes, an integer ≥ 2
 * @returns the codes in order (Float64Arrays for arrays, tensors for tensors; the caller disposes tensors)
 * @throws {@link ConfigError} for an unknown kind, or steps outside 2..{@link MAX_INTERPOLATION_STEPS}
 * @throws {@link ShapeError} when the shapes differ
 * @example
 * ```ts
 * interpolationPath('linear', [0], [1], 5).map((z) => z[0]); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function interpolationPath(kind: InterpolationKind, z1: LatentArray, z2: LatentArray, steps: number): Float64Array[];
export function interpolationPath<T extends tf.Tensor>(kind: InterpolationKind, z1: T, z2: T, steps: number): T[];
export function interpolationPath(
  kind: InterpolationKind,
  z1: LatentArray | tf.Tensor,
  z2: LatentArray | tf.Tensor,
  steps: number,
): (Float64Array | tf.Tensor)[] {
  if (!Number.isInteger(steps) || steps < 2 || steps > MAX_INTERPOLATION_STEPS) {
    throw new ConfigError(`steps must be an integer from 2 to ${MAX_INTERPOLATION_STEPS} (both endpoints are included; one code each), got ${steps}`, {
      details: { field: 'steps', value: steps },
    });
  }
  const at = pointFunction(kind);
  const out: (Float64Array | tf.Tensor)[] = [];
  for (let i = 0; i < steps; i++) out.push(at(z1, z2, i / (steps - 1)));
  return out;
}

type PointAt = (z1: LatentArray | tf.Tensor, z2: LatentArray | tf.Tensor, u: number) => Float64Array | tf.Tensor;

function pointFunction(kind: InterpolationKind): PointAt {
  switch (kind) {
    case 'linear':
      return (a, b, u) => linearInterpolate(a as LatentArray, b as LatentArray, u);
    case 'spherical':
      return (a, b, u) => sphericalInterpolate(a as LatentArray, b as LatentArray, (u * Math.PI) / 2);
    case 'slerp':
      return (a, b, u) => slerp(a as LatentArray, b as LatentArray, u);
    default:
      throw new ConfigError(`unknown interpolation kind ${JSON.stringify(kind)}: use 'linear', 'spherical' or 'slerp'`, {
        details: { field: 'kind', value: kind },
      });
  }
}

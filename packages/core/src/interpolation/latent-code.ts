import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors/config-error.js';
import { ShapeError } from '../errors/shape-error.js';

/** A latent code as plain numbers: one vector z of length K. */
export type LatentArray = readonly number[] | Float32Array | Float64Array;

/**
 * Check that two codes have the same shape.
 * @param z1 - first code
 * @param z2 - second code
 * @param who - the function name, for the message
 * @throws {@link ShapeError} when lengths (arrays) or shapes (tensors) differ, or one is a tensor and the other not
 * @throws {@link ConfigError} when an array code holds a value that is not finite
 */
export function checkSameShape(z1: LatentArray | tf.Tensor, z2: LatentArray | tf.Tensor, who: string): void {
  const t1 = z1 instanceof tf.Tensor;
  const t2 = z2 instanceof tf.Tensor;
  if (t1 !== t2) throw new ShapeError(`${who}: pass two tensors or two arrays, not one of each`);
  const s1 = t1 ? (z1 as tf.Tensor).shape : [(z1 as LatentArray).length];
  const s2 = t2 ? (z2 as tf.Tensor).shape : [(z2 as LatentArray).length];
  if (s1.length !== s2.length || s1.some((v, i) => v !== s2[i])) {
    throw new ShapeError(`${who}: the codes must have the same shape, got [${s1.join(', ')}] and [${s2.join(', ')}]`, {
      details: { shape1: s1, shape2: s2 },
    });
  }
  if (t1) return;
  // arrays are cheap to scan: a NaN in a code would come back as a NaN path, silently
  for (const [name, z] of [['z1', z1], ['z2', z2]] as const) {
    const codes = z as LatentArray;
    for (let i = 0; i < codes.length; i++) {
      if (!Number.isFinite(codes[i])) throw new ConfigError(`${who}: ${name}[${i}] is ${codes[i]}: a code must hold finite numbers`, { details: { field: name, index: i } });
    }
  }
}

/**
 * Check that an interpolation parameter is a finite number.
 * @param value - α, θ or t
 * @param name - its name, for the message
 * @throws {@link ConfigError} when it is not finite
 */
export function checkFinite(value: number, name: string): void {
  if (!Number.isFinite(value)) {
    throw new ConfigError(`${name} must be a finite number, got ${value}`, { details: { field: name, value } });
  }
}

/**
 * a·z1 + b·z2 for arrays, as a Float64Array.
 * @param z1 - first code
 * @param a - its weight
 * @param z2 - second code
 * @param b - its weight
 * @returns the combination
 */
export function combine(z1: LatentArray, a: number, z2: LatentArray, b: number): Float64Array {
  const out = new Float64Array(z1.length);
  for (let i = 0; i < z1.length; i++) out[i] = a * z1[i]! + b * z2[i]!;
  return out;
}

import * as tf from '@tensorflow/tfjs';
import { aleaState, polarFill, type AleaState } from './alea.js';

/**
 * A filler for long draws (see {@link setNormalFill}): fills `out` with the numbers {@link polarFill} would
 * give from `state`, and returns true; or returns false (for any draw it does not take) to leave the draw to
 * {@link polarFill}.
 */
export type NormalFill = (out: Float32Array, state: AleaState, mean: number, stdDev: number) => boolean;

let longFill: NormalFill | null = null;

/** Draws of at least this many numbers are offered to the filler set with {@link setNormalFill} (which may decline). */
export const LONG_DRAW = 1 << 12;

/**
 * Install (or, with null, remove) a filler for draws of at least {@link LONG_DRAW} numbers: the seam through
 * which `@vib/backends` draws with native code or over threads in Node. A filler must give exactly the numbers
 * of {@link polarFill} (its tests compare them with `tf.randomNormal`).
 * @param fill - the filler, or null
 */
export function setNormalFill(fill: NormalFill | null): void {
  longFill = fill;
}

/**
 * Normal draws with exactly the numbers of `tf.randomNormal(shape, mean, stdDev, 'float32', seed)` (TensorFlow.js
 * 4.x: Alea seeded with the seed's string, Marsaglia's polar method, pairs used in order), generated in one tight
 * loop instead of tfjs's per-value method calls (1.4–1.8× faster; what is left is mostly `Math.log`), or, for
 * long draws, by the filler installed with {@link setNormalFill}. Unseeded
 * (or seed 0, which tfjs treats as unseeded) draws seed from `Math.random()` as tfjs does.
 * @param shape - output shape
 * @param seed - tfjs seed (see `tfSeed`), or undefined
 * @param mean - mean (default 0)
 * @param stdDev - standard deviation (default 1)
 * @returns a float32 tensor
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * randomNormalFast([2, 3], 7); // the same numbers as tf.randomNormal([2, 3], 0, 1, 'float32', 7)
 * ```
 */
export function randomNormalFast(shape: number[], seed?: number, mean = 0, stdDev = 1): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const out = new Float32Array(n);
  const state = aleaState(String(seed ? seed : Math.random()));
  if (!(n >= LONG_DRAW && longFill?.(out, state, mean, stdDev))) polarFill(out, state, mean, stdDev);
  return tf.tensor(out, shape, 'float32');
}

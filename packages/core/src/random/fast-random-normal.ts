import * as tf from '@tensorflow/tfjs';
import { aleaState, polarFill, type AleaState } from './alea.js';

/**
 * A filler for long draws (see {@link setNormalFill}): fills `out` with the numbers {@link polarFill} would
 * give from `state`, and returns true; or returns false (for any draw it does not take) to leave the draw to
 * {@link polarFill}.
 */
export type NormalFill = (out: Float32Array, state: AleaState, mean: number, stdDev: number) => boolean;

let longFill: NormalFill | null = null;

/**
 * A maker of long draws as tensors (see {@link setNormalTensorMaker}): returns a float32 tensor of `shape` holding
 * exactly the numbers {@link polarFill} would give from `state`, written straight into the backend's memory, or
 * null to decline (then the draw goes on as without it). It must leave `state` as it found it.
 */
export type NormalTensorMaker = (shape: readonly number[], state: AleaState, mean: number, stdDev: number) => tf.Tensor | null;

let tensorMaker: NormalTensorMaker | null = null;

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
 * Install (or, with null, remove) a maker of long draws as tensors: for draws of at least {@link LONG_DRAW} numbers
 * it is asked first, before the filler of {@link setNormalFill}. It lets a backend write the numbers into its own
 * memory, with no JavaScript array between: a 12-sample evaluation batch draws 1.5M numbers, and a fresh 6 MB array
 * each time is page-faulted in, copied and left to the garbage collector. The same contract as a filler: exactly
 * the numbers of {@link polarFill}.
 * @param maker - the maker, or null
 */
export function setNormalTensorMaker(maker: NormalTensorMaker | null): void {
  tensorMaker = maker;
}

/**
 * Normal draws with exactly the numbers of `tf.randomNormal(shape, mean, stdDev, 'float32', seed)` (TensorFlow.js
 * 4.x: Alea seeded with the seed's string, Marsaglia's polar method, pairs used in order), generated in one tight
 * loop instead of tfjs's per-value method calls (1.4–1.8× faster; what is left is mostly `Math.log`), or, for
 * long draws, by the maker installed with {@link setNormalTensorMaker} or the filler installed with
 * {@link setNormalFill}. Unseeded
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
  const state = aleaState(String(seed ? seed : Math.random()));
  if (n >= LONG_DRAW && tensorMaker) {
    const made = tensorMaker(shape, state, mean, stdDev);
    if (made) return made;
  }
  const out = new Float32Array(n);
  if (!(n >= LONG_DRAW && longFill?.(out, state, mean, stdDev))) polarFill(out, state, mean, stdDev);
  return tf.tensor(out, shape, 'float32');
}

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
 * Memory for long draws (see {@link setNormalTarget}): given a draw's shape and `write`, which fills an array of
 * the draw's size with its numbers (through the filler of {@link setNormalFill}, or {@link polarFill}), returns the
 * tensor whose memory `write` filled; or null, without calling `write`, to decline (then a JavaScript array is used).
 */
export type NormalTarget = (shape: readonly number[], write: (out: Float32Array) => void) => tf.Tensor | null;

let target: NormalTarget | null = null;

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
 * Install (or, with null, remove) the memory long draws (at least {@link LONG_DRAW} numbers) are written into: it
 * lets a backend have the numbers written straight into its own memory, with no JavaScript array between. A
 * 12-sample evaluation batch draws 1.5M numbers; a fresh 6 MB array each time is page-faulted in, copied into the
 * backend and left to the garbage collector. Which numbers are drawn does not change. Other long tensors written
 * in place ({@link writtenTensor}: the trainer's batches of inputs) go to the same memory.
 * @param memory - the target, or null
 */
export function setNormalTarget(memory: NormalTarget | null): void {
  target = memory;
}

/**
 * Normal draws with exactly the numbers of `tf.randomNormal(shape, mean, stdDev, 'float32', seed)` (TensorFlow.js
 * 4.x: Alea seeded with the seed's string, Marsaglia's polar method, pairs used in order), generated in one tight
 * loop instead of tfjs's per-value method calls (1.4–1.8× faster; what is left is mostly `Math.log`), or, for
 * long draws, by the filler installed with {@link setNormalFill}, into the memory installed with
 * {@link setNormalTarget}. Unseeded
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
  let written = false;
  return filledTensor(shape, n, (out) => {
    // a second call means the target declined after the first: the state has moved on, and the numbers cannot be
    // drawn again
    if (written) throw new Error('randomNormalFast: the normal target declined a draw after writing it; a target must decline before calling write');
    if (out.length !== n) throw new RangeError(`randomNormalFast: the normal target gave memory for ${out.length} numbers, the draw has ${n}`);
    written = true;
    if (!(n >= LONG_DRAW && longFill?.(out, state, mean, stdDev))) polarFill(out, state, mean, stdDev);
  });
}

/**
 * The tensor `write` fills: in the installed target's memory where the tensor is long and the target takes it, else
 * in a new array then uploaded (`write` checks the memory it is given; a target that declines after writing gets
 * `write` called again, on the array).
 * @param shape - the tensor's shape
 * @param n - its number of values
 * @param write - fills the memory
 * @returns the tensor
 */
function filledTensor(shape: number[], n: number, write: (out: Float32Array) => void): tf.Tensor {
  if (n >= LONG_DRAW && target) {
    const made = target(shape, write);
    if (made) return made;
  }
  const out = new Float32Array(n);
  write(out);
  return tf.tensor(out, shape, 'float32');
}

/**
 * A float32 tensor of `shape` whose values `write` fills in place: in the backend's own memory where the target
 * installed with {@link setNormalTarget} takes it (tensors of at least {@link LONG_DRAW} values), else in a new
 * array that is then uploaded. The values are whatever `write` puts there either way; on the wasm backend (with
 * `@vib/backends`' target) no array of the tensor's size is allocated, filled, copied and collected.
 * @param shape - the tensor's shape
 * @param write - fills an array of the tensor's size (it must write every value: the backend's memory is not cleared)
 * @returns the tensor
 * @throws whatever `write` throws (the target's memory is released first)
 * @example
 * ```ts
 * const t = writtenTensor([2, 3], (out) => out.fill(7)); // a [2, 3] tensor of sevens
 * ```
 */
export function writtenTensor(shape: number[], write: (out: Float32Array) => void): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return filledTensor(shape, n, (out) => {
    if (out.length !== n) throw new RangeError(`writtenTensor: the target gave memory for ${out.length} values, the tensor has ${n}`);
    write(out);
  });
}

import * as tf from '@tensorflow/tfjs';
import { checkSplit, ConfigError, copyInputRows, writtenTensor, type DataSplit } from '@vib/core';
import type { VibModel } from '../model/vib-model.js';

/**
 * Tensors for the examples `indices` of a split (rows gathered in that order).
 * @param split - the data
 * @param inputShape - shape of one input
 * @param indices - example indices
 * @returns x [B, ...inputShape], int32 y [B], and the real-valued targets [B, T] when the split has them
 */
export function gatherBatch(
  split: DataSplit,
  inputShape: readonly number[],
  indices: ArrayLike<number>,
): { x: tf.Tensor; y: tf.Tensor1D; values?: tf.Tensor2D } {
  const d = inputShape.reduce((a, b) => a * b, 1);
  const b = indices.length;
  // decoded straight into the backend's memory where it offers it (wasm, with @vib/backends)
  const x = writtenTensor([b, ...inputShape], (out) => copyInputRows(split, indices, d, out));
  const ys = new Int32Array(b);
  const t = split.targets === undefined ? 0 : split.targets.length / Math.max(split.n, 1);
  const ts = new Float32Array(b * t);
  for (let i = 0; i < b; i++) {
    const j = indices[i] ?? 0;
    ys[i] = split.y[j] ?? 0;
    if (split.targets !== undefined) ts.set(split.targets.subarray(j * t, (j + 1) * t), i * t);
  }
  const y = tf.tensor1d(ys, 'int32');
  return split.targets === undefined ? { x, y } : { x, y, values: tf.tensor2d(ts, [b, t]) };
}

/**
 * Check a split handed to one of the model's evaluations before it is batched: its `x` holds `n` inputs of the
 * model's shape, all finite, with `n` labels, at least one example, and (for a task that predicts labels) labels
 * among the model's classes. See {@link checkSplit}.
 * @param vm - the model
 * @param split - the split
 * @param caller - the function it was given to, for the message, e.g. `evaluate()`
 * @throws {@link DataError} naming the caller and the first thing wrong
 */
export function checkSplitForModel(vm: VibModel, split: DataSplit, caller: string): void {
  checkSplit(split, {
    inputShape: vm.inputShape,
    name: caller,
    split: 'given',
    ...(vm.task.metricNames.includes('accuracy') ? { numClasses: vm.numClasses } : {}),
  });
}

/**
 * {@link checkSplitForModel}, then how many of the split's first rows to use for a request of `n`.
 * @param vm - the model
 * @param split - the split
 * @param n - rows wanted: an integer ≥ 1, or Infinity for all
 * @param caller - the function, for the message
 * @returns min(n, split.n)
 * @throws {@link ConfigError} for an `n` that is not a count; {@link DataError} for a split that does not fit
 */
export function checkedRows(vm: VibModel, split: DataSplit, n: number, caller: string): number {
  if (!(n >= 1) || (Number.isFinite(n) && !Number.isInteger(n))) {
    throw new ConfigError(`${caller}: n = ${String(n)} is not a number of examples: give an integer ≥ 1 (or Infinity for all)`, { details: { n } });
  }
  checkSplitForModel(vm, split, caller);
  return Math.min(n, split.n);
}

/**
 * Consecutive index ranges [start, end) covering n examples in batches.
 * @param n - number of examples
 * @param batchSize - batch size: an integer ≥ 1
 * @returns the ranges
 * @throws {@link ConfigError} for a batch size that is not an integer ≥ 1 (0 would loop forever)
 */
export function ranges(n: number, batchSize: number): Array<[number, number]> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new ConfigError(`batchSize ${String(batchSize)} is not a batch size: give an integer ≥ 1, e.g. 500`, { details: { batchSize } });
  }
  const out: Array<[number, number]> = [];
  for (let s = 0; s < n; s += batchSize) out.push([s, Math.min(n, s + batchSize)]);
  return out;
}

/**
 * Indices start..end−1.
 * @param start - first index
 * @param end - one past the last
 * @returns the indices
 */
export function span(start: number, end: number): Int32Array {
  const a = new Int32Array(end - start);
  for (let i = 0; i < a.length; i++) a[i] = start + i;
  return a;
}

import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '@vib/core';

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
  const xs = new Float32Array(b * d);
  const ys = new Int32Array(b);
  const t = split.targets === undefined ? 0 : split.targets.length / Math.max(split.n, 1);
  const ts = new Float32Array(b * t);
  for (let i = 0; i < b; i++) {
    const j = indices[i] ?? 0;
    xs.set(split.x.subarray(j * d, (j + 1) * d), i * d);
    ys[i] = split.y[j] ?? 0;
    if (split.targets !== undefined) ts.set(split.targets.subarray(j * t, (j + 1) * t), i * t);
  }
  const x = tf.tensor(xs, [b, ...inputShape]);
  const y = tf.tensor1d(ys, 'int32');
  return split.targets === undefined ? { x, y } : { x, y, values: tf.tensor2d(ts, [b, t]) };
}

/**
 * Consecutive index ranges [start, end) covering n examples in batches.
 * @param n - number of examples
 * @param batchSize - batch size
 * @returns the ranges
 */
export function ranges(n: number, batchSize: number): Array<[number, number]> {
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

import type { DataSplit, DatasetLoadOptions } from '@vib/core';
import { byteCodedSplit, ConfigError, firstRows } from '@vib/core';

/**
 * Copy the rows `indices` of a row-major table, and their labels, into `out` and a new label array, in order.
 * @param out - the rows' destination, [indices.length, rowSize]
 * @param x - all inputs, row-major [N, rowSize]: a typed array's rows are copied whole (converted to `out`'s type)
 * @param y - all labels [N]
 * @param rowSize - values per example
 * @param indices - which rows, in order
 * @returns the labels of the rows
 */
function gatherRows(out: Float32Array | Uint8Array, x: ArrayLike<number>, y: ArrayLike<number>, rowSize: number, indices: ArrayLike<number>): Int32Array {
  const n = indices.length;
  const gy = new Int32Array(n);
  const rows = typeof (x as { subarray?: unknown }).subarray === 'function' ? (x as Float32Array) : undefined;
  for (let r = 0; r < n; r++) {
    const src = indices[r]!;
    if (rows) out.set(rows.subarray(src * rowSize, (src + 1) * rowSize), r * rowSize);
    else for (let c = 0; c < rowSize; c++) out[r * rowSize + c] = x[src * rowSize + c]!;
    gy[r] = y[src]!;
  }
  return gy;
}

/**
 * Gather the rows `indices` of a row-major table into a new split.
 * @param x - all inputs, row-major [N, rowSize]
 * @param y - all labels [N]
 * @param rowSize - values per example
 * @param indices - which rows, in order
 * @returns the split
 */
export function gatherSplit(x: ArrayLike<number>, y: ArrayLike<number>, rowSize: number, indices: ArrayLike<number>): DataSplit {
  const gx = new Float32Array(indices.length * rowSize);
  return { x: gx, y: gatherRows(gx, x, y, rowSize, indices), n: indices.length };
}

/**
 * Gather the rows `indices` of a table of byte codes into a new byte-coded split (`byteCodedSplit` of @vib/core):
 * a quarter of {@link gatherSplit}'s memory, and the same `x` once read, `values[codes[i]]`.
 * @param codes - all inputs as codes, row-major [N, rowSize]
 * @param values - the 256 values the codes stand for
 * @param y - all labels [N]
 * @param rowSize - values per example
 * @param indices - which rows, in order
 * @returns the split
 */
export function gatherCodedSplit(codes: Uint8Array, values: Float32Array, y: ArrayLike<number>, rowSize: number, indices: ArrayLike<number>): DataSplit {
  const gx = new Uint8Array(indices.length * rowSize);
  return byteCodedSplit(gx, values, gatherRows(gx, codes, y, rowSize, indices), indices.length);
}

/**
 * How many of a split's `n` examples a `maxTrain`/`maxTest` limit keeps.
 * @param n - the split's examples
 * @param max - keep at most this many; undefined keeps all
 * @param what - `maxTrain` or `maxTest`, for the error message
 * @returns the count kept
 * @throws {@link ConfigError} when `max` is not a positive integer
 */
export function keptCount(n: number, max: number | undefined, what: string): number {
  if (max === undefined || max >= n) return n;
  if (!Number.isInteger(max) || max < 1) {
    throw new ConfigError(`${what} must be a positive integer, got ${String(max)}: pass a count such as 500`);
  }
  return max;
}

/**
 * Keep the first `max` examples of a split (no copy of the kept rows' meaning, only of their storage view).
 * @param split - the split
 * @param rowSize - values per example
 * @param max - keep at most this many; undefined keeps all
 * @param what - `maxTrain` or `maxTest`, for the error message
 * @returns the (possibly) shortened split
 * @throws {@link ConfigError} when `max` is not a positive integer
 */
export function takeFirst(split: DataSplit, rowSize: number, max: number | undefined, what: string): DataSplit {
  const kept = keptCount(split.n, max, what);
  return kept === split.n ? split : firstRows(split, kept, rowSize);
}

/**
 * Apply the `maxTrain` / `maxTest` load options to both splits.
 * @param train - full training split
 * @param test - full test split
 * @param rowSize - values per example
 * @param options - load options
 * @returns the shortened splits
 */
export function applyLimits(
  train: DataSplit,
  test: DataSplit,
  rowSize: number,
  options: DatasetLoadOptions | undefined,
): { train: DataSplit; test: DataSplit } {
  return {
    train: takeFirst(train, rowSize, options?.maxTrain, 'maxTrain'),
    test: takeFirst(test, rowSize, options?.maxTest, 'maxTest'),
  };
}

import type { DataSplit, DatasetLoadOptions } from '@vib/core';
import { ConfigError, firstRows } from '@vib/core';

/**
 * Gather the rows `indices` of a row-major table into a new split.
 * @param x - all inputs, row-major [N, rowSize]
 * @param y - all labels [N]
 * @param rowSize - values per example
 * @param indices - which rows, in order
 * @returns the split
 */
export function gatherSplit(x: ArrayLike<number>, y: ArrayLike<number>, rowSize: number, indices: ArrayLike<number>): DataSplit {
  const n = indices.length;
  const gx = new Float32Array(n * rowSize);
  const gy = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const src = indices[r]!;
    for (let c = 0; c < rowSize; c++) gx[r * rowSize + c] = x[src * rowSize + c]!;
    gy[r] = y[src]!;
  }
  return { x: gx, y: gy, n };
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
  if (max === undefined || max >= split.n) return split;
  if (!Number.isInteger(max) || max < 1) {
    throw new ConfigError(`${what} must be a positive integer, got ${String(max)}: pass a count such as 500`);
  }
  return firstRows(split, max, rowSize);
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

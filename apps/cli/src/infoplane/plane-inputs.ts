import type { Dataset, DataSplit } from '@vib/core';

/** Which inputs the information plane is measured on: every input (train ∪ test, as Shwartz-Ziv & Tishby did), or one split. */
export type PlaneSplit = 'all' | 'train' | 'test';

/** The splits `--splits` accepts. */
export const PLANE_SPLITS: readonly PlaneSplit[] = ['all', 'train', 'test'];

/**
 * The inputs of one information-plane split: `all` is the training inputs followed by the test inputs (for the
 * 12-bit task, all 4,096 patterns, so the binned I(X;T) of a layer that tells every input apart is log2 4096 = 12 bits).
 * @param data - the dataset
 * @param split - `all`, `train` or `test`
 * @returns the split's inputs and labels
 */
export function planeInputs(data: Dataset, split: PlaneSplit): DataSplit {
  if (split !== 'all') return data[split];
  const { train, test } = data;
  const width = train.n > 0 ? train.x.length / train.n : 0;
  const x = new Float32Array((train.n + test.n) * width);
  x.set(train.x.subarray(0, train.n * width));
  x.set(test.x.subarray(0, test.n * width), train.n * width);
  const y = new Int32Array(train.n + test.n);
  y.set(train.y.subarray(0, train.n));
  y.set(test.y.subarray(0, test.n), train.n);
  return { x, y, n: train.n + test.n };
}

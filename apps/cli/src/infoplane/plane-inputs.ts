import { joinSplits, type Dataset, type DataSplit } from '@vib/core';

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
  return split === 'all' ? joinSplits(data.train, data.test) : data[split];
}

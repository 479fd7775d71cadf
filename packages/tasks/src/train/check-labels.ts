import type { Dataset } from '@vib/core';
import { DataError } from '@vib/core';

/**
 * Refuse to train a classifier on labels that cannot teach it anything or that its head cannot hold:
 * fewer than two distinct classes in the training split, or a label outside 0..numClasses−1.
 * @param predictsLabels - whether the task predicts the labels (it scores accuracy); others are not checked
 * @param dataset - the data
 * @throws {@link DataError} naming the dataset and the labels found
 */
export function checkTrainingLabels(predictsLabels: boolean, dataset: Dataset): void {
  if (!predictsLabels) return;
  const seen = new Set<number>();
  const { y, n } = dataset.train;
  for (let i = 0; i < n && seen.size < 2; i++) seen.add(y[i]!);
  if (seen.size < 2) {
    const only = seen.size === 0 ? 'no labels' : `only label ${[...seen][0]}`;
    throw new DataError(`${dataset.name}: the training split has ${only}: classification needs at least two classes; check the label column, or use the reconstruction task`, {
      details: { dataset: dataset.name, classes: seen.size },
    });
  }
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (!(v >= 0 && v < dataset.numClasses)) {
      throw new DataError(`${dataset.name}: training label ${v} (example ${i}) is outside 0..${dataset.numClasses - 1}: the dataset's numClasses is wrong`, {
        details: { dataset: dataset.name, label: v },
      });
    }
  }
}

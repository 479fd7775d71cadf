import type { Dataset } from '@vib/core';
import { DataError } from '@vib/core';

/**
 * Refuse to train a classifier on labels that cannot teach it anything or that its head cannot hold:
 * fewer than two distinct classes in the training split, or a label of either split outside 0..numClasses−1.
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
  for (const [which, split] of [['training', dataset.train], ['test', dataset.test]] as const) {
    for (let i = 0; i < split.n; i++) {
      const v = split.y[i]!;
      if (!(Number.isInteger(v) && v >= 0 && v < dataset.numClasses)) {
        throw new DataError(`${dataset.name}: ${which} label ${v} (example ${i}) is outside the ${dataset.numClasses} classes 0..${dataset.numClasses - 1}: fix the label, or the dataset's numClasses`, {
          details: { dataset: dataset.name, split: which, label: v, index: i },
        });
      }
    }
  }
}

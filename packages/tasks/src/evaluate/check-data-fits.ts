import type { Dataset, DataSplit } from '@vib/core';
import { DataError } from '@vib/core';
import type { VibModel } from '../model/vib-model.js';

/** How the two sides are named in messages. */
export interface DataFitNames {
  /** The model, e.g. the --model folder. */
  readonly model: string;
  /** The data, as the message should name it, e.g. `digits.csv` or `--data digits.csv`. */
  readonly data: string;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const show = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function maxLabel(split: DataSplit): number {
  let max = -1;
  for (let i = 0; i < split.n; i++) max = Math.max(max, split.y[i]!);
  return max;
}

/**
 * Check that a dataset can be evaluated by a model: the same number of input values per example (a
 * [784] table fits a [28, 28] model), labels inside the model's classes (classification), and inputs in
 * [0, 1] when the model was trained on such inputs. Each refusal is one line naming both sides.
 * @param vm - the model (its metadata records input shape, classes and preprocessing)
 * @param dataset - the data
 * @param names - how to name the model and the data
 * @throws {@link DataError} on the first mismatch
 * @example
 * ```ts
 * checkDataFitsModel(vm, dataset, { model: 'runs/a/model', data: 'digits.csv' });
 * ```
 */
export function checkDataFitsModel(vm: VibModel, dataset: Dataset, names: DataFitNames): void {
  const fail = (what: string, field: string): never => {
    throw new DataError(`${names.data} does not fit the model in ${names.model}: ${what}`, {
      details: { model: names.model, data: names.data, field },
    });
  };
  if (size(dataset.inputShape) !== size(vm.inputShape)) {
    fail(`its inputs have shape ${show(dataset.inputShape)} (${size(dataset.inputShape)} values), the model takes ${show(vm.inputShape)} (${size(vm.inputShape)}); evaluate on data shaped like ${vm.config.dataset.name}`, 'inputShape');
  }
  // a task that scores accuracy predicts the labels: they must be among the model's classes
  if (vm.task.metricNames.includes('accuracy')) {
    const top = Math.max(maxLabel(dataset.test), dataset.numClasses - 1);
    if (top >= vm.numClasses) {
      fail(`its labels go up to ${top} (${dataset.numClasses} classes), the model predicts ${vm.numClasses} classes (0..${vm.numClasses - 1}); use data with the model's classes`, 'numClasses');
    }
  }
  if (vm.inputsInUnitInterval && !dataset.inputsInUnitInterval) {
    fail(
      `its inputs leave [0, 1] (${dataset.preprocessing ?? 'preprocessing not recorded'}), the model was trained on inputs in [0, 1] (${vm.preprocessing ?? 'preprocessing not recorded'}); scale the data as the training data was`,
      'preprocessing',
    );
  }
}

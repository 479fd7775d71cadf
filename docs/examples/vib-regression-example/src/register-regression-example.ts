import type { Registry } from '@vib/core';
import { csvRegressionDataset } from './csv-regression-dataset.js';
import { gaussianMIEstimator } from './gaussian-mi-estimator.js';
import { regressionTask } from './regression-task.js';
import { diagonalGaussianScaledNormalKL } from './scaled-normal-kl.js';
import { scaledNormalPrior } from './scaled-normal-prior.js';

/**
 * Register everything this package contributes (the one registration file): the `csv-regression`
 * dataset, the `regression` task, the `scaled-normal` prior with its closed-form KL rule (kind `kl`),
 * and the `gaussian-ity` estimator. `vib train --plugin <this package>` calls it.
 * @param registry - the registry to extend
 * @throws {@link DuplicatePluginError} when a name is already taken
 */
export function registerRegressionExample(registry: Registry): void {
  registry.register('dataset', csvRegressionDataset);
  registry.register('task', regressionTask);
  registry.register('prior', scaledNormalPrior);
  registry.register('kl', diagonalGaussianScaledNormalKL);
  registry.register('estimator', gaussianMIEstimator);
}

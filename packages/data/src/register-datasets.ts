import type { Registry } from '@vib/core';
import { csvDataset } from './csv/csv-dataset.js';
import { fashionMnistDataset } from './idx/fashion-mnist-dataset.js';
import { idxDataset } from './idx/idx-dataset.js';
import { mnistDataset } from './mnist/mnist-dataset.js';
import { tishby12BitDataset } from './synthetic/tishby-12bit.js';

/** Every dataset plugin of this package, the default (`mnist`) first. */
export const datasetPlugins = [mnistDataset, tishby12BitDataset, idxDataset, fashionMnistDataset, csvDataset] as const;

/**
 * Register the dataset plugins `mnist`, `tishby-12bit`, `idx`, `fashion-mnist` and `csv` under kind `dataset`.
 * @param registry - the registry to add them to
 * @throws {@link DuplicatePluginError} when one of the names is already registered
 * @example
 * ```ts
 * import { createRegistry } from '@vib/core';
 * const registry = createRegistry();
 * registerDatasets(registry);
 * registry.names('dataset'); // ['mnist', 'tishby-12bit', 'idx', 'fashion-mnist', 'csv']
 * ```
 */
export function registerDatasets(registry: Registry): void {
  for (const plugin of datasetPlugins) registry.register('dataset', plugin);
}

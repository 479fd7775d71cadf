import { defineCoreKinds, type Registry } from '@vib/core';
import { csvDataset } from './csv/csv-dataset.js';
import { fashionMnistDataset } from './idx/fashion-mnist-dataset.js';
import { idxDataset } from './idx/idx-dataset.js';
import { tishby12BitDataset } from './synthetic/tishby-12bit.js';

/**
 * Every dataset plugin of this package's main entry. The embedded digits (`mnist`, 41 MB of data) are
 * opt-in: `registerMnistDataset` from `@vib/data/mnist`.
 */
export const datasetPlugins = [tishby12BitDataset, idxDataset, fashionMnistDataset, csvDataset] as const;

/**
 * Register the dataset plugins `tishby-12bit`, `idx`, `fashion-mnist` and `csv` under kind `dataset`.
 * @param registry - the registry to add them to
 * @throws {@link DuplicatePluginError} when one of the names is already registered
 * @example
 * ```ts
 * import { createRegistry } from '@vib/core';
 * const registry = createRegistry();
 * registerDatasets(registry);
 * registry.names('dataset'); // ['tishby-12bit', 'idx', 'fashion-mnist', 'csv']
 * ```
 */
export function registerDatasets(registry: Registry): void {
  defineCoreKinds(registry);
  for (const plugin of datasetPlugins) registry.register('dataset', plugin);
}

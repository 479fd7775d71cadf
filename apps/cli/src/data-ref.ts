import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { Registry } from '@vib/core';
import { CliError, usageError } from './util/cli-error.js';
import { unknownPluginError } from './util/plugin-flag.js';

/** A dataset named in a config: a plugin and its config. */
export interface DatasetRef {
  readonly name: string;
  readonly config?: Record<string, unknown>;
}

/**
 * Whether a `--data` value is meant as a path rather than a dataset name: it has a folder separator, starts
 * with `.` or `~`, or ends in a file extension (`digits.csv`).
 * @param value - the flag's value
 * @returns true for a path
 * @example
 * ```ts
 * looksLikePath('data/digits.csv'); // true
 * looksLikePath('fashion-mnist'); // false
 * ```
 */
export function looksLikePath(value: string): boolean {
  return /[\\/]/.test(value) || isAbsolute(value) || /^[.~]/.test(value) || /\.[A-Za-z0-9]+$/.test(value);
}

/**
 * Turn `--data` into a dataset reference: a registered name, a `.csv` file, or a directory of IDX files.
 * @param value - the flag's value
 * @param registry - to recognize registered names
 * @param labelColumn - label column for CSV files
 * @param flag - the flag, for messages (`--data`, `--ood`)
 * @returns the reference
 * @throws {@link CliError} (exit code 2) when it is not a registered name and no such path exists: a name lists
 *   the registered datasets and suggests the nearest, a path says it does not exist
 * @throws {@link CliError} when it is a file that is not .csv
 */
export async function resolveDataFlag(value: string, registry: Registry, labelColumn?: string, flag = '--data'): Promise<DatasetRef> {
  if (registry.has('dataset', value)) return { name: value };
  const info = await stat(value).catch(() => null);
  if (!info) {
    if (!looksLikePath(value)) throw unknownPluginError(flag, 'dataset', value, registry.names('dataset'), ', a folder of IDX files or a .csv file');
    throw usageError(
      `${flag} ${value}: no such file or folder: pass a .csv file, a folder of IDX files, or a registered dataset (${registry.names('dataset').join(', ')})`,
      { details: { flag, value } },
    );
  }
  if (info.isDirectory()) return { name: 'idx', config: { dir: value } };
  if (value.toLowerCase().endsWith('.csv')) return { name: 'csv', config: { path: value, ...(labelColumn ? { labelColumn } : {}) } };
  throw new CliError(`${flag} ${value}: a file that is not .csv: pass a .csv file or a directory of IDX files`);
}

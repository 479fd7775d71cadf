import { DataError, seededPermutation, type Dataset, type DatasetLoadOptions, type DatasetPlugin } from '@vib/core';
import { z } from 'zod';
import { applyLimits, gatherSplit } from '../util/split.js';
import { readCsvFile } from './read-csv-file.js';

/** Config of the `csv` dataset. */
export const csvConfigSchema = z.strictObject({
  /** Path of the CSV file (header row, numeric features, one label column). */
  path: z.string().min(1),
  /** Name of the label column. */
  labelColumn: z.string().min(1).default('label'),
  /** Cell separator. */
  delimiter: z.string().length(1).default(','),
  /** Fraction of rows held out as the test split (fixed seeded shuffle). */
  testFraction: z.number().gt(0).lt(1).default(0.2),
  /** Seed of the split permutation. */
  splitSeed: z.number().int().default(0),
});

/** Parsed config of the `csv` dataset. */
export type CsvConfig = z.infer<typeof csvConfigSchema>;

/**
 * How many rows must be read so that the split gives at least `maxTrain` training and `maxTest` test rows;
 * undefined (read all) unless `maxTrain` is set.
 * @param options - load options
 * @param testFraction - the config's test fraction
 * @returns a row count, or undefined
 */
function rowsNeeded(options: DatasetLoadOptions | undefined, testFraction: number): number | undefined {
  if (options?.maxTrain === undefined) return undefined;
  const forTrain = Math.ceil(options.maxTrain / (1 - testFraction)) + 1;
  const forTest = options.maxTest === undefined ? 0 : Math.ceil(options.maxTest / testFraction) + 1;
  return Math.max(forTrain, forTest, 2);
}

/**
 * Dataset plugin `csv`: a user's own table, streamed through csv-parse (RFC 4180 quoting). Rows are
 * shuffled by a fixed seeded permutation and the last `testFraction` of them form the test split. With
 * `maxTrain`, only the first ⌈maxTrain / (1 − testFraction)⌉ + 1 rows (or enough for `maxTest`) are read.
 * `inputsInUnitInterval` is true when every feature lies in [0, 1]. Node only (reads the file).
 */
export const csvDataset: DatasetPlugin<CsvConfig> = {
  name: 'csv',
  description: 'a CSV table with a header row, numeric feature columns and a label column',
  configSchema: csvConfigSchema,
  environments: ['node'],
  async load(config, options) {
    const maxRows = rowsNeeded(options, config.testFraction);
    const table = await readCsvFile(config.path, { labelColumn: config.labelColumn, delimiter: config.delimiter, ...(maxRows !== undefined ? { maxRows } : {}) });
    if (table.rows < 2) throw new DataError(`${config.path}: only ${table.rows} row, need at least 2 to split into train and test`, { details: { file: config.path } });
    const labels = table;
    const d = table.featureNames.length;
    const nTest = Math.min(table.rows - 1, Math.max(1, Math.round(table.rows * config.testFraction)));
    const perm = seededPermutation(table.rows, config.splitSeed);
    const train = gatherSplit(table.x, labels.y, d, perm.subarray(0, table.rows - nTest));
    const test = gatherSplit(table.x, labels.y, d, perm.subarray(table.rows - nTest));
    const data: Dataset = {
      name: config.path,
      inputShape: [d],
      numClasses: labels.numClasses,
      ...(labels.classNames ? { classNames: labels.classNames } : {}),
      inputsInUnitInterval: table.x.every((v) => v >= 0 && v <= 1),
      preprocessing: 'CSV numbers as written',
      ...applyLimits(train, test, d, options),
    };
    return data;
  },
};

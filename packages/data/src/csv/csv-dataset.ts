import { DataError, seededPermutation, type Dataset, type DatasetLoadOptions, type DatasetPlugin } from '@vib/core';
import { z } from 'zod';
import { MAX_CLASSES } from '../util/class-count.js';
import { applyLimits, gatherSplit } from '../util/split.js';
import { MAX_LABEL } from './label-encoder.js';
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
  /** The most classes the labels may make (numeric labels: largest + 1; names: distinct names). */
  maxClasses: z.number().int().min(1).max(MAX_LABEL).default(MAX_CLASSES),
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
 *
 * Labels: when every label read is a decimal number, they are class indices, whole numbers 0..C−1 with
 * C = largest + 1 ≤ `maxClasses` (default 1,000), and must not leave most of 0..C−1 without a row (more
 * than half and more than 16 empty classes: the labels are values, not classes). The rule looks at every
 * row read, not at the training split alone: rows fall into the splits by a shuffle, so a class seen
 * only in the test rows is chance, not a stray label. Other labels are class names, sorted.
 */
export const csvDataset: DatasetPlugin<CsvConfig> = {
  name: 'csv',
  description: 'a CSV table with a header row, numeric feature columns and a label column',
  configSchema: csvConfigSchema,
  environments: ['node'],
  async load(config, options) {
    const maxRows = rowsNeeded(options, config.testFraction);
    const table = await readCsvFile(config.path, {
      labelColumn: config.labelColumn,
      delimiter: config.delimiter,
      maxClasses: config.maxClasses,
      ...(maxRows !== undefined ? { maxRows } : {}),
    });
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

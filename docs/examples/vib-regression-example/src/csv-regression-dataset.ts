import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { DataError, type DataSplit, type DatasetPlugin } from '@vib/core';
import { z } from 'zod';

/** Config of {@link csvRegressionDataset}. */
export const csvRegressionConfigSchema = z.strictObject({
  /** Path of a CSV file with a header row and numeric cells; a relative path is resolved against the working directory. */
  path: z.string().min(1),
  /** The column to predict; every other column is an input. */
  target: z.string().min(1),
  /** Fraction of the rows (the last ones) held out for testing. */
  testFraction: z.number().gt(0).lt(1).default(0.2),
});

/** Parsed config of {@link csvRegressionDataset}. */
export type CsvRegressionConfig = z.output<typeof csvRegressionConfigSchema>;

function split(x: Float32Array, t: Float32Array, from: number, to: number, d: number): DataSplit {
  const n = to - from;
  return { x: x.slice(from * d, to * d), y: new Int32Array(n), n, targets: t.slice(from, to) };
}

/**
 * Read the CSV file as text.
 * @param path - the configured path, absolute or relative to the working directory
 * @returns the file's text
 * @throws {@link DataError} when the file cannot be read, naming the path it was looked for at
 */
async function readCsv(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    const where = isAbsolute(path) ? '' : `; a relative path is resolved against the working directory, so it was looked for at ${resolve(path)}`;
    throw new DataError(
      `${path}: cannot read the CSV file (${why})${where}: give an absolute path, or a path relative to the directory you run from`,
      { cause: e, details: { file: path } },
    );
  }
}

/**
 * A numeric CSV as a regression dataset: inputs standardized with the training rows' mean and standard
 * deviation, the target column as real-valued `targets` (targetSize 1); labels are all 0.
 */
export const csvRegressionDataset: DatasetPlugin<CsvRegressionConfig> = {
  name: 'csv-regression',
  description: 'numeric CSV for regression: one target column, the others standardized inputs',
  configSchema: csvRegressionConfigSchema,
  environments: ['node'],
  load: async (config, options = {}) => {
    const [header = '', ...lines] = (await readCsv(config.path)).split(/\r?\n/).filter((l) => l.trim() !== '');
    const columns = header.split(',').map((c) => c.trim());
    const at = columns.indexOf(config.target);
    if (at < 0) throw new DataError(`${config.path}: no column "${config.target}"; the columns are ${columns.join(', ')}`);
    const d = columns.length - 1;
    const x = new Float32Array(lines.length * d);
    const t = new Float32Array(lines.length);
    lines.forEach((line, i) => {
      const cells = line.split(',').map(Number);
      if (cells.length !== columns.length || cells.some((v) => !Number.isFinite(v))) {
        throw new DataError(`${config.path}, line ${i + 2}: expected ${columns.length} numbers, got "${line}"`);
      }
      t[i] = cells[at] ?? NaN;
      x.set(cells.filter((_, j) => j !== at), i * d);
    });
    const nTrain = Math.round(lines.length * (1 - config.testFraction));
    for (let j = 0; j < d; j++) {
      let mean = 0;
      let sq = 0;
      for (let i = 0; i < nTrain; i++) mean += (x[i * d + j] ?? 0) / nTrain;
      for (let i = 0; i < nTrain; i++) sq += ((x[i * d + j] ?? 0) - mean) ** 2 / nTrain;
      const sd = Math.sqrt(sq) || 1;
      for (let i = 0; i < lines.length; i++) x[i * d + j] = ((x[i * d + j] ?? 0) - mean) / sd;
    }
    const train = split(x, t, 0, Math.min(nTrain, options.maxTrain ?? nTrain), d);
    const test = split(x, t, nTrain, Math.min(lines.length, nTrain + (options.maxTest ?? lines.length)), d);
    return { name: config.path, inputShape: [d], numClasses: 1, inputsInUnitInterval: false, targetSize: 1, train, test };
  },
};

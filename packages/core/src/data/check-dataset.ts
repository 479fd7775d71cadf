import { DataError } from '../errors/data-error.js';
import type { Dataset, DataSplit } from '../plugins/dataset-plugin.js';

/** What {@link checkSplit} checks a split against. */
export interface SplitExpectation {
  /** Shape of one input: `x` must hold `n` × its product values. */
  readonly inputShape: readonly number[];
  /** How messages name the data, e.g. the dataset's name. */
  readonly name: string;
  /** How messages name the split, e.g. `training` or `test`. */
  readonly split: string;
  /** Refuse a split with no examples (default true). */
  readonly nonEmpty?: boolean;
  /** Refuse inputs outside [0, 1] (a dataset that declares `inputsInUnitInterval`). */
  readonly unitInterval?: boolean;
  /** Refuse labels outside 0..numClasses−1. */
  readonly numClasses?: number;
}

const isShape = (s: unknown): s is readonly number[] =>
  Array.isArray(s) && s.length > 0 && s.every((d) => Number.isSafeInteger(d) && (d as number) > 0);

/**
 * Check that a split is what its type promises, before any of it is batched: an integer count `n`, `x` a
 * Float32Array of exactly `n` × ∏inputShape finite values (in [0, 1] when asked), `n` labels (within the classes
 * when asked), and targets that divide into `n` rows. A short `x` would be read as zeros and a long one cut,
 * silently: this refuses both. A split with byte-coded inputs (`coded`, see {@link byteCodedSplit}) of the right
 * length whose 256 values all pass is checked without reading `x`.
 * @param split - the split
 * @param expect - the input shape, how to name it, and what else to check
 * @throws {@link DataError} naming the dataset, the split and the first thing wrong, with the index where it is
 * @example
 * ```ts
 * checkSplit({ x: new Float32Array(8), y: new Int32Array(2), n: 2 }, { inputShape: [4], name: 'mine', split: 'test' });
 * ```
 */
export function checkSplit(split: DataSplit, expect: SplitExpectation): void {
  const where = `${expect.name}: the ${expect.split} split`;
  const fail = (what: string, details: Record<string, unknown> = {}): never => {
    throw new DataError(`${where} ${what}`, { details: { dataset: expect.name, split: expect.split, ...details } });
  };
  if (split === null || typeof split !== 'object') fail(`is ${split === null ? 'null' : typeof split}: give { x, y, n }`);
  const { y, n } = split;
  if (!Number.isSafeInteger(n) || n < 0) fail(`has n = ${String(n)}: the number of examples must be an integer ≥ 0`);
  if (n === 0 && expect.nonEmpty !== false) fail('has no examples: hold out some, or give more data');
  const d = expect.inputShape.reduce((a, b) => a * b, 1);
  // inputs held as byte codes: every value is one of the table's 256, so checking those checks them all
  const coded = split.coded;
  if (coded !== undefined && !(typeof coded === 'object' && coded !== null && coded.codes instanceof Uint8Array && coded.values instanceof Float32Array && coded.values.length === 256)) {
    fail('has coded inputs that are not 256 float32 values and Uint8Array codes: make them with byteCodedSplit, or leave coded out');
  }
  const lo = expect.unitInterval ? 0 : -Number.MAX_VALUE;
  const hi = expect.unitInterval ? 1 : Number.MAX_VALUE;
  const codedValid = coded !== undefined && coded.codes.length === n * d && coded.values.every((v) => v >= lo && v <= hi);
  // otherwise x is read (and built, for a byte-coded split whose table holds a value out of range: the check below
  // then names the example that uses it, if any does)
  let x: Float32Array | null = null;
  if (!codedValid) {
    const inputs = split.x;
    if (!(inputs instanceof Float32Array)) fail(`has x of type ${inputs === null ? 'null' : (inputs as object)?.constructor?.name ?? typeof inputs}: x must be a Float32Array, row-major [n, ...inputShape]`);
    if (inputs.length !== n * d) {
      fail(`has ${inputs.length} input values, but n × ∏inputShape = ${n} × ${d} = ${n * d} (inputShape [${expect.inputShape.join(', ')}]): x, n and the input shape disagree`, { values: inputs.length, expected: n * d });
    }
    x = inputs;
  }
  if (y === null || typeof y !== 'object' || typeof (y as { length?: unknown }).length !== 'number') fail('has no labels y: give an Int32Array of n labels (zeros for unlabeled data)');
  if (y.length !== n) fail(`has ${y.length} labels for n = ${n} examples: give one label per example`, { labels: y.length });
  if (split.targets !== undefined && (n === 0 ? split.targets.length !== 0 : split.targets.length % n !== 0)) {
    fail(`has ${split.targets.length} target values, not a multiple of n = ${n}: give n rows of targets`);
  }
  // one pass of two comparisons a value (NaN fails both; ±Infinity lies outside ±MAX_VALUE)
  for (let i = 0; x !== null && i < x.length; i++) {
    const v = x[i]!;
    if (v >= lo && v <= hi) continue;
    const at = `input ${i % d} of example ${Math.floor(i / d)}`;
    if (!Number.isFinite(v)) fail(`holds ${v} at ${at}: inputs must be finite numbers; clean or drop that example`, { index: i });
    fail(`holds ${v} at ${at}, but the dataset declares its inputs in [0, 1]: scale them into [0, 1], or declare inputsInUnitInterval: false`, { index: i });
  }
  if (expect.numClasses !== undefined) {
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      if (!(Number.isInteger(v) && v >= 0 && v < expect.numClasses)) {
        fail(`has label ${v} at example ${i}, outside the ${expect.numClasses} classes 0..${expect.numClasses - 1}: labels must be class indices`, { label: v, index: i });
      }
    }
  }
}

/**
 * Check a whole dataset, as a dataset plugin or a caller who builds one in code hands it over: a name, an input shape
 * of positive integers, a positive integer number of classes, and both splits ({@link checkSplit}), neither empty,
 * with inputs in [0, 1] where the dataset declares so. Labels are not checked against the classes here (a
 * reconstruction dataset may carry zeros); the classification task checks them before training.
 * @param dataset - the dataset
 * @throws {@link DataError} naming the first thing wrong
 * @example
 * ```ts
 * const split = { x: new Float32Array(8), y: new Int32Array([0, 1]), n: 2 };
 * checkDataset({ name: 'mine', inputShape: [4], numClasses: 2, inputsInUnitInterval: true, train: split, test: split });
 * ```
 */
export function checkDataset(dataset: Dataset): void {
  if (dataset === null || typeof dataset !== 'object') {
    throw new DataError(`the dataset is ${dataset === null ? 'null' : typeof dataset}: give { name, inputShape, numClasses, inputsInUnitInterval, train, test }`);
  }
  const name = typeof dataset.name === 'string' && dataset.name !== '' ? dataset.name : 'the dataset';
  const fail = (what: string): never => {
    throw new DataError(`${name}: ${what}`, { details: { dataset: name } });
  };
  if (!isShape(dataset.inputShape)) fail(`inputShape ${JSON.stringify(dataset.inputShape)} is not a shape: give positive integers, e.g. [28, 28] or [12]`);
  if (!Number.isSafeInteger(dataset.numClasses) || dataset.numClasses < 1) fail(`numClasses ${String(dataset.numClasses)} is not a count: give an integer ≥ 1`);
  for (const split of ['train', 'test'] as const) {
    if (dataset[split] === undefined || dataset[split] === null) fail(`the ${split === 'train' ? 'training' : 'test'} split is missing: give ${split}: { x, y, n }`);
    checkSplit(dataset[split], { inputShape: dataset.inputShape, name, split: split === 'train' ? 'training' : 'test', unitInterval: dataset.inputsInUnitInterval === true });
  }
}

import { describe, expect, it } from 'vitest';
import { DataError } from '../errors/data-error.js';
import type { Dataset, DataSplit } from '../plugins/dataset-plugin.js';
import { checkDataset, checkSplit } from './check-dataset.js';

const split = (n: number, d: number, k = 2): DataSplit => ({
  x: Float32Array.from({ length: n * d }, (_, i) => (i % 10) / 10),
  y: Int32Array.from({ length: n }, (_, i) => i % k),
  n,
});
const dataset = (over: Partial<Dataset> = {}): Dataset => ({ name: 'mine', inputShape: [4], numClasses: 3, inputsInUnitInterval: true, train: split(40, 4, 3), test: split(20, 4, 3), ...over });

/** The message of what `fn` throws, which must be a DataError. */
function refusal(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('nothing was thrown');
}

describe('checkDataset', () => {
  it('accepts a well-formed dataset', () => {
    expect(() => checkDataset(dataset())).not.toThrow();
  });

  it('refuses an x whose length is not n × ∏inputShape (a short x was read as zeros, a long one cut)', () => {
    const short = { ...split(40, 4, 3), x: new Float32Array(150) };
    expect(refusal(() => checkDataset(dataset({ train: short })))).toBe(
      'mine: the training split has 150 input values, but n × ∏inputShape = 40 × 4 = 160 (inputShape [4]): x, n and the input shape disagree',
    );
    expect(refusal(() => checkDataset(dataset({ inputShape: [5] })))).toMatch(/^mine: the training split has 160 input values, but n × ∏inputShape = 40 × 5 = 200/);
  });

  it('refuses labels that do not match n, a fractional or negative n, and an empty split', () => {
    expect(refusal(() => checkDataset(dataset({ train: { ...split(40, 4, 3), y: new Int32Array(60) } })))).toBe('mine: the training split has 60 labels for n = 40 examples: give one label per example');
    expect(refusal(() => checkDataset(dataset({ train: { ...split(40, 4, 3), n: 39.5 } })))).toMatch(/has n = 39\.5: the number of examples must be an integer ≥ 0/);
    expect(refusal(() => checkDataset(dataset({ train: { ...split(40, 4, 3), n: -1 } })))).toMatch(/has n = -1/);
    expect(refusal(() => checkDataset(dataset({ test: split(0, 4) })))).toBe('mine: the test split has no examples: hold out some, or give more data');
  });

  it('refuses a shape or class count that is not one, and a missing split', () => {
    expect(refusal(() => checkDataset(dataset({ inputShape: [] })))).toMatch(/^mine: inputShape \[\] is not a shape/);
    expect(refusal(() => checkDataset(dataset({ inputShape: [0] })))).toMatch(/inputShape \[0\] is not a shape/);
    expect(refusal(() => checkDataset(dataset({ inputShape: [2.5] })))).toMatch(/inputShape \[2\.5\] is not a shape/);
    for (const k of [0, Number.NaN, 2.5]) expect(refusal(() => checkDataset(dataset({ numClasses: k })))).toMatch(/numClasses .* is not a count: give an integer ≥ 1/);
    expect(refusal(() => checkDataset({ ...dataset(), test: undefined } as unknown as Dataset))).toBe('mine: the test split is missing: give test: { x, y, n }');
    expect(refusal(() => checkDataset(null as unknown as Dataset))).toMatch(/^the dataset is null/);
  });

  it('names the example and input of a non-finite value, and of one outside [0, 1] when the dataset declares [0, 1]', () => {
    const nan = split(40, 4, 3);
    nan.x[4 * 7 + 2] = Number.NaN;
    expect(refusal(() => checkDataset(dataset({ train: nan })))).toBe('mine: the training split holds NaN at input 2 of example 7: inputs must be finite numbers; clean or drop that example');
    const big = split(20, 4, 3);
    big.x[5] = 5;
    expect(refusal(() => checkDataset(dataset({ test: big })))).toMatch(/^mine: the test split holds 5 at input 1 of example 1, but the dataset declares its inputs in \[0, 1\]/);
    // declared otherwise, 5 is fine
    expect(() => checkDataset(dataset({ test: big, inputsInUnitInterval: false }))).not.toThrow();
  });

  it('refuses an x that is not a Float32Array', () => {
    const plain = { ...split(40, 4, 3), x: Array.from({ length: 160 }, () => 0) as unknown as Float32Array };
    expect(refusal(() => checkDataset(dataset({ train: plain })))).toMatch(/has x of type Array: x must be a Float32Array/);
    expect(refusal(() => checkDataset(dataset({ train: { ...plain, x: null } as never })))).toMatch(/has x of type null: x must be a Float32Array/);
  });
});

describe('checkSplit', () => {
  it('checks labels against the classes when asked, and allows an empty split when asked', () => {
    const s = split(20, 4, 3);
    s.y[3] = 9;
    expect(refusal(() => checkSplit(s, { inputShape: [4], name: 'evaluate()', split: 'given', numClasses: 3 }))).toBe(
      'evaluate(): the given split has label 9 at example 3, outside the 3 classes 0..2: labels must be class indices',
    );
    expect(() => checkSplit(s, { inputShape: [4], name: 'x', split: 'given' })).not.toThrow();
    expect(() => checkSplit(split(0, 4), { inputShape: [4], name: 'x', split: 'given', nonEmpty: false })).not.toThrow();
  });
});

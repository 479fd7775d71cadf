import * as tf from '@tensorflow/tfjs';
import { ConfigError, DataError, fgsmAttack, type DataSplit } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { latentCodes } from '../analysis/latent-codes.js';
import { layerActivations } from '../analysis/layer-activations.js';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { buildVibModel } from '../model/build-vib-model.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { train } from '../train/train.js';
import { checkDataFitsModel } from './check-data-fits.js';
import { evaluate } from './evaluate.js';
import { importanceWeightedEvaluation } from './importance-weighted-evaluation.js';
import { robustness } from './robustness.js';
import { uncertaintyScores } from './uncertainty-scores.js';

// A library caller's split is checked before it is batched: one that does not fit the model is refused, never read
// as zeros or cut; a batch size of 0 is refused instead of looping until memory runs out.
const registry = testRegistry();
const dataset = toyDataset(40, 20);
const config = parseExperimentConfig({ dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 2, seed: 1, epochs: 1, batchSize: 10 }, registry);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as Error;
  }
  throw new Error('nothing was thrown');
}

describe('the evaluations check the split they are given', () => {
  const vm = buildVibModel(config, registry, dataset);
  const wide: DataSplit = { x: new Float32Array(20 * 7), y: new Int32Array(20), n: 20 };
  const fns: [string, (s: DataSplit) => Promise<unknown> | unknown][] = [
    ['evaluate()', (s) => evaluate(vm, s)],
    ['importanceWeightedEvaluation()', (s) => importanceWeightedEvaluation(vm, s, { samples: 2 })],
    ['robustness()', (s) => robustness(vm, s, { attack: fgsmAttack.create({}), epsilons: [0.1] })],
    ['uncertaintyScores()', (s) => uncertaintyScores(vm, s)],
    ['latentCodes()', (s) => latentCodes(vm, s, 10)],
    ['layerActivations()', (s) => layerActivations(vm, s, 10)],
  ];

  it.each(fns)('%s refuses a split of another input width, naming itself', async (name, fn) => {
    const e = await rejection(() => fn(wide));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe(`${name}: the given split has 140 input values, but n × ∏inputShape = 20 × 6 = 120 (inputShape [6]): x, n and the input shape disagree`);
  });

  it('refuses an empty split, a label outside the classes, and NaN inputs, each with where it is', async () => {
    expect((await rejection(evaluate(vm, { x: new Float32Array(0), y: new Int32Array(0), n: 0 }))).message).toBe('evaluate(): the given split has no examples: hold out some, or give more data');
    const label = { ...dataset.test, y: Int32Array.from(dataset.test.y, (v, i) => (i === 4 ? 7 : v)) };
    expect((await rejection(evaluate(vm, label))).message).toBe('evaluate(): the given split has label 7 at example 4, outside the 2 classes 0..1: labels must be class indices');
    const nan = { ...dataset.test, x: Float32Array.from(dataset.test.x, (v, i) => (i === 13 ? Number.NaN : v)) };
    expect((await rejection(evaluate(vm, nan))).message).toMatch(/^evaluate\(\): the given split holds NaN at input 1 of example 2: /);
  });

  it('refuses a batch size or a row count that is not a count (batchSize 0 looped until memory ran out)', async () => {
    for (const batchSize of [0, -1, 0.5, Number.NaN]) {
      const e = await rejection(evaluate(vm, dataset.test, { batchSize }));
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.message).toBe(`batchSize ${batchSize} is not a batch size: give an integer ≥ 1, e.g. 500`);
    }
    expect((await rejection(robustness(vm, dataset.test, { attack: fgsmAttack.create({}), epsilons: [0.1], batchSize: 0 }))).message).toMatch(/^batchSize 0 is not a batch size/);
    expect((await rejection(uncertaintyScores(vm, dataset.test, { batchSize: 0 }))).message).toMatch(/^batchSize 0 is not a batch size/);
    expect((await rejection(() => latentCodes(vm, dataset.test, -1))).message).toBe('latentCodes(): n = -1 is not a number of examples: give an integer ≥ 1 (or Infinity for all)');
    expect(layerActivations(vm, dataset.test, Infinity)[0]!.t.n).toBe(20);
  });
});

describe('checkDataFitsModel', () => {
  it('names the data as the caller does (a library caller is not a command line with --data)', () => {
    const vm = buildVibModel(config, registry, dataset);
    const other = toyDataset(10, 10, 7);
    expect(() => checkDataFitsModel(vm, other, { model: 'runs/a/model', data: 'mine.csv' })).toThrow(
      'mine.csv does not fit the model in runs/a/model: its inputs have shape [7] (7 values), the model takes [6] (6); evaluate on data shaped like toy',
    );
  });
});

describe('train checks the dataset it is given', () => {
  it('refuses an x that is 10 values short (it trained on zeros for them) and an inputShape it does not hold', async () => {
    const short = { ...dataset, train: { ...dataset.train, x: dataset.train.x.subarray(0, 40 * 6 - 10) } };
    const e = await rejection(train({ config, registry, dataset: short }));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe('toy: the training split has 230 input values, but n × ∏inputShape = 40 × 6 = 240 (inputShape [6]): x, n and the input shape disagree');
    expect((await rejection(train({ config, registry, dataset: { ...dataset, numClasses: 0 } }))).message).toBe('toy: numClasses 0 is not a count: give an integer ≥ 1');
  });
});

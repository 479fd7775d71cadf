import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { train } from './train.js';

const registry = testRegistry();
const dataset = toyDataset(100, 40);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function config(extra: Record<string, unknown> = {}) {
  return parseExperimentConfig(
    { dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 2, epochs: 2, batchSize: 25, seed: 3, evalSamples: 4, optimizer: { learningRate: 0.01 }, beta: 0.01, ...extra },
    registry,
  );
}

const weightsOf = (r: { model: { model: tf.LayersModel } }) => r.model.model.getWeights().map((w) => Array.from(w.dataSync()));

describe('deterministic baseline and Adam settings', () => {
  it('a deterministic model has rate 0, ignores β, and its S-sample accuracy is its mean-code accuracy', async () => {
    const a = await train({ config: config({ model: 'deterministic' }), registry, dataset });
    const b = await train({ config: config({ model: 'deterministic', beta: 10 }), registry, dataset });
    expect(weightsOf(b)).toEqual(weightsOf(a));
    for (const m of a.history) {
      expect(m.rateNats).toBe(0);
      expect(m.testRateBits).toBe(0);
      expect(m.testSampledAccuracy).toBe(m.testAccuracy);
    }
    expect(a.evaluation.multiSample.accuracy).toBe(a.evaluation.mean.accuracy);
    expect(a.evaluation.multiSample.nllNats).toBeCloseTo(a.evaluation.mean.nllNats, 5);
  });

  it('a VIB model records the test rate and a test I(Z;Y) bound at most H(Y) = 1 bit', async () => {
    const r = await train({ config: config(), registry, dataset });
    const last = r.history.at(-1)!;
    expect(last.testRateBits).toBeGreaterThan(0);
    expect(last.testIzyBits).toBeLessThanOrEqual(1 + 1e-9);
    expect(last.testSampledAccuracy).not.toBeNull();
  });

  it('optimizer.beta1 reaches Adam: 0.9 (the default) changes nothing, 0.5 changes the weights', async () => {
    const base = weightsOf(await train({ config: config(), registry, dataset }));
    const same = weightsOf(await train({ config: config({ optimizer: { learningRate: 0.01, beta1: 0.9, beta2: 0.999 } }), registry, dataset }));
    const half = weightsOf(await train({ config: config({ optimizer: { learningRate: 0.01, beta1: 0.5 } }), registry, dataset }));
    expect(same).toEqual(base);
    expect(half).not.toEqual(base);
  });
});

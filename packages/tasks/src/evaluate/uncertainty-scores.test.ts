import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { train } from '../train/train.js';
import { evaluate } from './evaluate.js';
import { uncertaintyScores } from './uncertainty-scores.js';

const registry = testRegistry();
const dataset = toyDataset(120, 70);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('uncertaintyScores', () => {
  it('agrees with evaluate(): mean per-example rate = the split rate, mean correctness = S-sample accuracy', async () => {
    const config = parseExperimentConfig(
      { dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 2, epochs: 2, batchSize: 20, seed: 2, evalSamples: 5, optimizer: { learningRate: 0.01 }, beta: 1e-2 },
      registry,
    );
    const { model: vm } = await train({ config, registry, dataset });
    const s = await uncertaintyScores(vm, dataset.test, { samples: 5, seed: 9 });
    const e = await evaluate(vm, dataset.test, { samples: 5, seed: 9 });
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, v) => x + v, 0) / a.length;
    expect(mean(s.rateNats)).toBeCloseTo(e.rateNats, 5);
    expect(mean(s.correct)).toBe(e.multiSample.accuracy);
    for (let i = 0; i < s.maxProb.length; i++) {
      expect(s.maxProb[i]).toBeGreaterThanOrEqual(0.5 - 1e-6); // two classes: the arg max has at least half
      expect(s.entropyNats[i]).toBeLessThanOrEqual(Math.LN2 + 1e-6);
      expect(s.rateNats[i]).toBeGreaterThan(0);
    }
  });
});

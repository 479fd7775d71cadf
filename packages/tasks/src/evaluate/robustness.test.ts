import * as tf from '@tensorflow/tfjs';
import { fgsmAttack, pgdAttack, pgdConfigSchema } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { train } from '../train/train.js';
import { evaluate } from './evaluate.js';
import { robustness } from './robustness.js';

const registry = testRegistry();
const dataset = toyDataset(200, 80);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('robustness', () => {
  it('at ε = 0 reproduces evaluate() exactly with no attack success; larger ε lowers accuracy; PGD beats FGSM', async () => {
    const config = parseExperimentConfig(
      { dataset: { name: 'toy' }, encoder: { hidden: [16] }, latentDim: 2, epochs: 3, batchSize: 25, seed: 1, evalSamples: 6, optimizer: { learningRate: 0.01 }, beta: 1e-3 },
      registry,
    );
    const { model: vm } = await train({ config, registry, dataset });
    const clean = await evaluate(vm, dataset.test, { samples: 6, seed: 5, batchSize: 500 });
    const eps = [0, 0.1, 0.3];
    const fgsm = await robustness(vm, dataset.test, { attack: fgsmAttack.create({}), epsilons: eps, samples: 6, seed: 5, batchSize: 500 });
    const [p0, p1, p3] = fgsm.points;
    expect(p0!.accuracyMean).toBe(clean.mean.accuracy);
    expect(p0!.accuracySampled).toBe(clean.multiSample.accuracy);
    expect(p0!.successMean).toBe(0);
    expect(p0!.successSampled).toBe(0);
    expect(p1!.accuracyMean).toBeLessThanOrEqual(p0!.accuracyMean);
    expect(p3!.accuracyMean).toBeLessThan(p0!.accuracyMean);
    expect(p3!.successMean).toBeGreaterThan(0);
    const pgd = await robustness(vm, dataset.test, { attack: pgdAttack.create(pgdConfigSchema.parse({ steps: 10 })), epsilons: [0.3], samples: 6, seed: 5 });
    expect(pgd.points[0]!.accuracyMean).toBeLessThanOrEqual(p3!.accuracyMean);
    const sampled = await robustness(vm, dataset.test, { attack: fgsmAttack.create({}), epsilons: [0.3], through: 'samples', samples: 6, seed: 5 });
    expect(sampled.through).toBe('samples');
    expect(sampled.points[0]!.accuracySampled).toBeLessThan(p0!.accuracySampled);
  });
});

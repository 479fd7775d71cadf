import * as tf from '@tensorflow/tfjs';
import { fgsmAttack, pgdAttack, pgdConfigSchema } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { train } from '../train/train.js';
import { evaluate } from './evaluate.js';
import { pickedMargin, pickedNll } from './predictive.js';
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

  it('the margin objective keeps its gradient where a saturated softmax zeroes the cross-entropy\'s', async () => {
    const config = parseExperimentConfig(
      { dataset: { name: 'toy' }, encoder: { hidden: [16] }, latentDim: 2, epochs: 3, batchSize: 25, seed: 1, evalSamples: 6, optimizer: { learningRate: 0.01 }, beta: 1e-3 },
      registry,
    );
    const { model: vm } = await train({ config, registry, dataset });
    const eps = [0.05, 0.2];
    const run = (objective: 'nll' | 'margin') => robustness(vm, dataset.test, { attack: fgsmAttack.create({}), epsilons: eps, objective, samples: 6, seed: 5 });
    const nllSoft = await run('nll');
    const marginSoft = await run('margin');
    expect(nllSoft.objective).toBe('nll');
    expect(nllSoft.zeroGradient).toBe(0);
    expect(marginSoft.zeroGradient).toBe(0);
    // Scale the last layer by 1e4: every logit gap grows 1e4-fold, the softmax saturates in float32, and the
    // cross-entropy gradient p − e_y of the confidently right examples becomes exactly 0. The margin's sign
    // gradient is scale-free, so its attack should hurt the scaled model as much as the original.
    const head = vm.decoderLayers[vm.decoderLayers.length - 1]!;
    const original = head.getWeights().map((w) => w.clone());
    head.setWeights(original.map((w) => tf.mul(w, 1e4)));
    try {
      const nllHard = await run('nll');
      const marginHard = await run('margin');
      expect(nllHard.zeroGradient).toBeGreaterThan(0.5);
      expect(marginHard.zeroGradient).toBe(0);
      // The masked attack leaves the saturated examples where they are: accuracy stays ≥ that share ...
      expect(nllHard.points[1]!.accuracyMean).toBeGreaterThanOrEqual(nllHard.zeroGradient - 1e-9);
      // ... while the margin attack does what it did on the unscaled model (a sign may flip where a
      // gradient entry rounds differently, so within a few examples) and beats the masked one.
      for (const [i, p] of marginHard.points.entries()) expect(Math.abs(p.accuracyMean - marginSoft.points[i]!.accuracyMean)).toBeLessThanOrEqual(0.05);
      expect(marginHard.points[1]!.accuracyMean).toBeLessThan(nllHard.points[1]!.accuracyMean - 0.2);
    } finally {
      head.setWeights(original);
      tf.dispose(original);
    }
  });

  it('pickedMargin is the best wrong class minus the true one, with gradient e_j − e_y even when saturated', () => {
    const logits = tf.tensor2d([[2, 0, 5], [300, 0, -40]]);
    const y = tf.tensor1d([0, 0], 'int32');
    expect(Array.from(pickedMargin(logits, y).dataSync())).toEqual([3, -300]);
    const viaLogSoftmax = (f: typeof pickedNll) => tf.grad((z: tf.Tensor) => tf.sum(f(tf.logSoftmax(z), y)))(logits).arraySync() as number[][];
    // Row 2's softmax is exactly one-hot in float32: the cross-entropy gradient vanishes, the margin's does not.
    expect(viaLogSoftmax(pickedNll)[1]).toEqual([0, 0, 0]);
    expect(viaLogSoftmax(pickedMargin)[1]).toEqual([-1, 1, 0]);
    const row1 = viaLogSoftmax(pickedMargin)[0]!;
    expect(row1[0]).toBeCloseTo(-1, 6);
    expect(row1[1]).toBeCloseTo(0, 6);
    expect(row1[2]).toBeCloseTo(1, 6);
  });
});

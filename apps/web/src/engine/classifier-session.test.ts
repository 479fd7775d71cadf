import * as tf from '@tensorflow/tfjs';
import { createRegistry } from '@vib/core';
import { registerDatasets } from '@vib/data';
import { registerPriors } from '@vib/priors';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochRecord } from '../metrics/epoch-record.js';
import { ClassifierSession } from './classifier-session.js';
import { inputSize, loadDemoDataset } from './demo-data.js';
import { VibClassifier } from './vib-classifier.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ClassifierSession on the 12-bit task', () => {
  it('learns (test accuracy rises well above the majority class) and reports rate as the closed-form KL', async () => {
    const registry = createRegistry();
    registerDatasets(registry);
    registerPriors(registry);
    const data = await loadDemoDataset(registry, 'tishby-12bit', { maxTrain: 2048, maxTest: 512 });
    const model = new VibClassifier(
      { inputSize: inputSize(data), numClasses: data.numClasses, hidden: [32, 16], activation: 'tanh', latentDim: 2, prior: 'standard-normal' },
      registry,
    );
    const session = new ClassifierSession(model, data, { beta: 1e-3, batchSize: 64, learningRate: 0.01 });
    const seen: EpochRecord[] = [];
    const first = await session.run(1, { onEpochEnd: (r) => void seen.push(r) });
    const rest = await session.run(5, { onEpochEnd: (r) => void seen.push(r) });
    expect(seen).toEqual([...first, ...rest]);
    expect(seen.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    // The task is balanced by construction (threshold picks half the patterns): chance is ~0.5.
    const last = seen.at(-1)!;
    expect(last.testAccuracy).toBeGreaterThan(0.75);
    expect(last.testAccuracy).toBeGreaterThan(seen[0]!.testAccuracy);
    expect(last.izyBits).toBeGreaterThan(0.1);
    expect(last.izyBits).toBeLessThanOrEqual(1.0001);
    expect(last.rateBits).toBeCloseTo(last.rateNats / Math.LN2, 10);

    // Rate = mean over the test split of ½Σ(μ² + σ² − 1 − log σ²) at the current weights.
    const f = inputSize(data);
    const closed = tf.tidy(() => {
      const enc = model.encode(tf.tensor2d(data.test.x, [data.test.n, f]));
      const v = tf.exp(enc.logVar);
      return tf.mean(tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(enc.mean), v), tf.add(1, enc.logVar)), 1))).dataSync()[0]!;
    });
    expect(last.rateNats).toBeCloseTo(closed, 5);
    expect(last.klPerDimNats.reduce((a, b) => a + b, 0)).toBeCloseTo(closed, 5);
    session.dispose();
  });
});

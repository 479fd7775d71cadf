import * as tf from '@tensorflow/tfjs';
import { createRegistry, type DataSplit, type DatasetPlugin } from '@vib/core';
import { registerControllers } from '@vib/layers';
import { parseExperimentConfig, registerTasks, train } from '@vib/tasks';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerStudentTPrior } from './register-student-t-prior.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Two Gaussian blobs in 2-D, centres (±1.5, 0), σ = 0.5, from a small LCG so the data are fixed. */
function blobs(n: number, seed: number): DataSplit {
  let state = seed >>> 0;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    x[2 * i] = (i % 2 === 0 ? -1.5 : 1.5) + 0.5 * normal();
    x[2 * i + 1] = 0.5 * normal();
  }
  return { x, y, n };
}

/** A dataset plugin defined in this test: a second third-party plugin beside the prior. */
const blobsDataset: DatasetPlugin<Record<string, never>> = {
  name: 'blobs',
  description: 'Two Gaussian blobs in 2-D',
  configSchema: z.strictObject({}),
  environments: ['node', 'browser'],
  async load() {
    return { name: 'blobs', inputShape: [2], numClasses: 2, inputsInUnitInterval: false, train: blobs(256, 1), test: blobs(128, 2) };
  },
};

describe('the student-t prior through @vib/tasks', () => {
  it('trains a VIB classifier end to end with `prior: { name: "student-t" }` resolved from the registry', async () => {
    const registry = createRegistry();
    registerControllers(registry);
    registerTasks(registry);
    registerStudentTPrior(registry);
    registry.register('dataset', blobsDataset);
    const config = parseExperimentConfig(
      {
        dataset: { name: 'blobs' },
        encoder: { hidden: [16], activation: 'tanh' },
        latentDim: 2,
        prior: { name: 'student-t', config: { degreesOfFreedom: 3 } },
        beta: 1e-2,
        optimizer: { learningRate: 0.02 },
        epochs: 4,
        batchSize: 32,
        klSamples: 4,
        evalSamples: 4,
        seed: 3,
      },
      registry,
    );
    const dataset = await blobsDataset.load({});
    const result = await train({ config, registry, dataset });
    const last = result.history.at(-1);
    expect(result.history).toHaveLength(4);
    // The blobs are 3 units apart with σ = 0.5: Bayes accuracy Φ(3) ≈ 0.9987.
    expect(last?.testAccuracy ?? 0).toBeGreaterThan(0.95);
    // The rate is the Monte Carlo KL to the Student-t prior: finite and positive.
    expect(Number.isFinite(last?.rateNats)).toBe(true);
    expect(last?.rateNats ?? 0).toBeGreaterThan(0);
    expect(last?.rateBits ?? 0).toBeCloseTo((last?.rateNats ?? 0) / Math.LN2, 10);
  });
});

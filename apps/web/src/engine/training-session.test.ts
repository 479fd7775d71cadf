import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '@vib/core';
import { createDefaultRegistry } from '@vib/kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoDataset } from './demo-data.js';
import { TrainingSession } from './training-session.js';

const input = {
  dataset: { name: 'tishby-12bit' },
  encoder: { hidden: [10, 7, 5], activation: 'tanh' as const },
  latentDim: 2,
  optimizer: { learningRate: 0.01 },
  batchSize: 64,
  evalSamples: 1,
  seed: 3,
};

let data: Dataset;
const registry = createDefaultRegistry();

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await loadDemoDataset(registry, 'tishby-12bit', { maxTrain: 1024, maxTest: 256 });
});

describe('TrainingSession (one @vib/tasks train() call per epoch)', () => {
  it('stopping and resuming gives exactly the run that was never stopped', async () => {
    const straight = new TrainingSession(registry, data, input, 1e-3);
    await straight.run(3);
    const interrupted = new TrainingSession(registry, data, input, 1e-3);
    await interrupted.run(5, { onEpochEnd: () => interrupted.stop() });
    expect(interrupted.epoch).toBe(1);
    await interrupted.run(2);
    const view = (s: TrainingSession) => s.history.map((m) => [m.epoch, m.loss, m.testAccuracy, m.rateNats]);
    expect(interrupted.history.map((m) => m.epoch)).toEqual([1, 2, 3]);
    // Same seed, same batches, weights and Adam state restored: equal up to float32 round-off.
    view(interrupted).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(view(straight)[i]![j]! as number, 4)));
    straight.dispose();
    interrupted.dispose();
  });

  it('applies a new β from the next epoch, and a stop mid-epoch keeps the last completed model', async () => {
    const s = new TrainingSession(registry, data, input, 1e-3);
    await s.run(1);
    const before = s.model;
    s.beta = 0.5;
    let batches = 0;
    await s.run(1, {
      onBatchEnd: () => {
        if (++batches === 3) s.stop();
      },
    });
    expect(s.epoch).toBe(1);
    expect(s.model).toBe(before);
    await s.run(1);
    expect(s.history.map((m) => m.beta)).toEqual([1e-3, 0.5]);
    s.dispose();
  });
});

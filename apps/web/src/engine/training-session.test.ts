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

describe('TrainingSession (drives the open trainer of @vib/tasks)', () => {
  const view = (s: TrainingSession) => s.history.map((m) => [m.epoch, m.loss, m.testAccuracy, m.rateNats, m.beta]);

  it('stopping at an epoch end and resuming gives exactly the run that was never stopped', async () => {
    const straight = new TrainingSession(registry, data, input, 1e-3);
    await straight.run(3);
    const interrupted = new TrainingSession(registry, data, input, 1e-3);
    await interrupted.run(5, { onEpochEnd: () => interrupted.stop() });
    expect(interrupted.epoch).toBe(1);
    await interrupted.run(2);
    expect(view(interrupted)).toEqual(view(straight));
    straight.dispose();
    interrupted.dispose();
  });

  it('a stop mid-epoch pauses: the next run finishes that epoch as if never stopped; a new β applies from the next epoch', async () => {
    const straight = new TrainingSession(registry, data, input, 1e-3);
    await straight.run(1);
    straight.beta = 0.5;
    await straight.run(1);
    const s = new TrainingSession(registry, data, input, 1e-3);
    let batches = 0;
    await s.run(1, {
      onBatchEnd: () => {
        if (++batches === 3) s.stop();
      },
    });
    expect(s.epoch).toBe(0);
    await s.run(1);
    s.beta = 0.5;
    await s.run(1);
    expect(s.history.map((m) => m.beta)).toEqual([1e-3, 0.5]);
    expect(view(s)).toEqual(view(straight));
    s.dispose();
    straight.dispose();
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import type { ScoreContext, Task } from '../tasks/task-plugin.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { train } from '../train/train.js';
import { evaluate } from './evaluate.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the scoring context a task is given', () => {
  it('says how many codes are behind each score, and gives their averaged prediction', async () => {
    const registry = testRegistry();
    const dataset = toyDataset(120, 40);
    const config = parseExperimentConfig({ dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 2, epochs: 1, batchSize: 40, seed: 3, beta: 0.01 }, registry);
    const { model } = await train({ config, registry, dataset });
    const seen: { samples: number; prediction: number[][]; logLik: number[][] }[] = [];
    const task: Task = {
      ...model.task,
      scoreSums: (logLik: tf.Tensor, target: tf.Tensor, context?: ScoreContext) => {
        if (context === undefined) throw new Error('no context');
        seen.push({ samples: context.samples, prediction: context.prediction().arraySync() as number[][], logLik: logLik.arraySync() as number[][] });
        return model.task.scoreSums(logLik, target);
      },
    };
    await evaluate({ ...model, task }, dataset.test, { samples: 6, seed: 1 });
    // mean code, one sampled code, six sampled codes
    expect(seen.map((s) => s.samples)).toEqual([1, 1, 6]);
    for (const { prediction, logLik } of seen) {
      expect(prediction).toHaveLength(40);
      for (let i = 0; i < 40; i++) {
        // a classifier's prediction is q(c|x): for S codes the mean of their softmaxes, whose log is the averaged
        // log-likelihood the same call gets (averaged in probability space)
        const row = prediction[i] ?? [];
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        row.forEach((p, c) => expect(Math.log(p)).toBeCloseTo(logLik[i]?.[c] ?? NaN, 4));
      }
    }
    model.model.dispose();
  });
});

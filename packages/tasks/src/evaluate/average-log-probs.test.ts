import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { averageLogProbs } from './average-log-probs.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('averageLogProbs', () => {
  it('averages probabilities, which here picks another class than averaging log-probabilities', () => {
    // q(y|z_s) for three samples: one confident in class 0, two leaning to class 1.
    const probs = [[[0.999, 0.001]], [[0.2, 0.8]], [[0.2, 0.8]]];
    const avg = averageLogProbs(tf.log(tf.tensor3d(probs)));
    const p = Array.from(tf.exp(avg).dataSync());
    expect(p[0]).toBeCloseTo((0.999 + 0.2 + 0.2) / 3, 6);
    expect(p[1]).toBeCloseTo((0.001 + 0.8 + 0.8) / 3, 6);
    expect(tf.argMax(avg, -1).dataSync()[0]).toBe(1);
    // The mean of log-probabilities (a geometric mean) would pick class 0 instead.
    const geo = tf.mean(tf.log(tf.tensor3d(probs)), 0);
    expect(tf.argMax(geo, -1).dataSync()[0]).toBe(0);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { WeightAverage } from './ema.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('WeightAverage', () => {
  it('warms the decay up as min(d, (1 + t)/(10 + t))', () => {
    const w = tf.variable(tf.scalar(0));
    const avg = new WeightAverage([w], 0.999);
    expect(avg.decayAt(0)).toBeCloseTo(0.1, 12);
    expect(avg.decayAt(90)).toBeCloseTo(91 / 100, 12);
    expect(avg.decayAt(1e6)).toBe(0.999);
    avg.dispose();
    w.dispose();
  });

  it('follows the recursion with the warmed-up decay, step by step', async () => {
    const w = tf.variable(tf.scalar(0));
    const avg = new WeightAverage([w], 0.99);
    let expected = 0;
    for (let t = 0; t < 50; t++) {
      w.assign(tf.scalar(t + 1));
      avg.update(t);
      const d = Math.min(0.99, (1 + t) / (10 + t));
      expected = d * expected + (1 - d) * (t + 1);
    }
    avg.swap(); // w now holds the average
    expect((await w.data())[0]).toBeCloseTo(expected, 3);
    // without warm-up the average would still sit near the initial 0: 50 steps at d = 0.99 keep 61% on it
    const noWarmUp = Array.from({ length: 50 }, (_, t) => t).reduce((a, t) => 0.99 * a + 0.01 * (t + 1), 0);
    expect(expected).toBeGreaterThan(2 * noWarmUp);
    avg.dispose();
    w.dispose();
  });
});

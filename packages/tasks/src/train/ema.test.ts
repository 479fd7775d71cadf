import * as tf from '@tensorflow/tfjs';
import { emaUpdate, setEmaInPlace } from '@vib/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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

  describe('with an in-place EMA step installed (the seam a backend uses)', () => {
    afterEach(() => setEmaInPlace(null));
    /**
     * A deliberately naive step for the cpu backend: it writes the average's buffer without asking who shares it,
     * and records every buffer it wrote.
     */
    const naive = (written: Set<object>) =>
      setEmaInPlace((average, value, decay) => {
        const data = (tf.backend() as unknown as { data: { get(id: object): { values: Float32Array } } }).data;
        const [a, v] = [data.get(average.dataId).values, data.get(value.dataId).values];
        for (let i = 0; i < a.length; i++) a[i] = Math.fround(Math.fround(a[i]! * Math.fround(decay)) + Math.fround(v[i]! * Math.fround(1 - decay)));
        written.add(average.dataId);
        return true;
      });

    it('no buffer is ever both a weight and an average written in place, from the start and across swaps', async () => {
      // A buffer a weight once had may be cached by a kernel (tfjs-wasm keeps packed matmul weights by buffer),
      // so an average written in place must never be one, nor become one at a swap.
      const written = new Set<object>();
      naive(written);
      const w = tf.variable(tf.tensor1d([1, -2, 4]));
      const weightBuffers = new Set<object>([w.dataId]);
      const avg = new WeightAverage([w], 0.5);
      let expected: tf.Tensor = tf.tensor1d([1, -2, 4]);
      for (let t = 0; t < 12; t++) {
        if (t % 4 === 3) {
          avg.swap(); // evaluate with the average, then back: as the trainer does at an epoch's end
          weightBuffers.add(w.dataId);
          expect(Array.from(await w.data())).toEqual(Array.from(await expected.data()));
          avg.swap();
          weightBuffers.add(w.dataId);
        }
        avg.update(t); // before the weights move on: the first update finds them where the constructor did
        const next = emaUpdate(expected, w, avg.decayAt(t));
        expected.dispose();
        expected = next;
        w.assign(tf.tensor1d([t, 2 * t, -t]));
        weightBuffers.add(w.dataId);
      }
      expect(written.size).toBeGreaterThan(0);
      expect([...written].filter((id) => weightBuffers.has(id))).toEqual([]);
      avg.swap();
      expect(Array.from(await w.data())).toEqual(Array.from(await expected.data()));
      avg.dispose();
      w.dispose();
      expected.dispose();
    });
  });
});

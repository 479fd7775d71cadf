import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { aleaState, polarFill } from './alea.js';
import { LONG_DRAW, randomNormalFast, setNormalTensorMaker } from './fast-random-normal.js';

describe('randomNormalFast', () => {
  it.each([
    [[1], 7], [[3, 5], 12345], [[100, 256], 0.5], [[2, 3, 7], 2 ** 31 - 1], [[1031], 987654321.25], [[0, 4], 3],
  ])('shape %j, seed %s: bitwise the numbers of tf.randomNormal', (shape, seed) => {
    tf.setBackend('cpu');
    const want = tf.tidy(() => tf.randomNormal(shape as number[], 0, 1, 'float32', seed).dataSync());
    const got = tf.tidy(() => randomNormalFast(shape as number[], seed).dataSync());
    expect(got).toEqual(want);
    const scaled = tf.tidy(() => randomNormalFast([9], seed, -2, 0.25).dataSync());
    expect(scaled).toEqual(tf.tidy(() => tf.randomNormal([9], -2, 0.25, 'float32', seed).dataSync()));
  });

  it('unseeded draws differ between calls and have mean ≈ 0, variance ≈ 1 (n = 40000: ±0.02 and ±0.04 are 4 and 6 standard errors)', () => {
    tf.setBackend('cpu');
    const [a, b] = [Array.from(randomNormalFast([40000]).dataSync()), Array.from(randomNormalFast([40000]).dataSync())];
    expect(a).not.toEqual(b);
    const mean = a.reduce((p, x) => p + x, 0) / a.length;
    const variance = a.reduce((p, x) => p + (x - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
  });

  it('offers long draws, and only those, to a tensor maker: its tensor is returned, and a declined draw gives the same numbers', () => {
    tf.setBackend('cpu');
    const asked: { n: number; state: number[] }[] = [];
    let decline = false;
    // a maker that makes the draw from a copy of the state (as it must leave the state alone), scaled by −1 so that
    // its tensor is told apart from the ordinary path's
    setNormalTensorMaker((shape, state, mean, stdDev) => {
      const n = shape.reduce((p, d) => p * d, 1);
      asked.push({ n, state: [...state] });
      if (decline) return null;
      const out = new Float32Array(n);
      polarFill(out, [...state] as typeof state, mean, stdDev);
      return tf.tensor(out.map((x) => -x), [...shape]);
    });
    try {
      const short = tf.tidy(() => randomNormalFast([LONG_DRAW - 1], 5).dataSync());
      expect(asked).toHaveLength(0);
      expect(short).toEqual(tf.tidy(() => tf.randomNormal([LONG_DRAW - 1], 0, 1, 'float32', 5).dataSync()));
      const want = tf.tidy(() => tf.randomNormal([2, LONG_DRAW], 1, 2, 'float32', 9).dataSync());
      const made = tf.tidy(() => randomNormalFast([2, LONG_DRAW], 9, 1, 2).dataSync());
      expect(asked).toEqual([{ n: 2 * LONG_DRAW, state: [...aleaState('9')] }]);
      expect(Array.from(made)).toEqual(Array.from(want, (x) => -x));
      decline = true;
      expect(tf.tidy(() => randomNormalFast([2, LONG_DRAW], 9, 1, 2).dataSync())).toEqual(want);
      expect(asked).toHaveLength(2);
    } finally {
      setNormalTensorMaker(null);
    }
  });
});

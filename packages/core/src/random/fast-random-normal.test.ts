import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { randomNormalFast } from './fast-random-normal.js';

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
});

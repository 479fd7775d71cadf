import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { LONG_DRAW, randomNormalFast, setNormalTarget, writtenTensor } from './fast-random-normal.js';

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

  it('writes long draws, and only those, into the memory of an installed target: the same numbers, its tensor returned', () => {
    tf.setBackend('cpu');
    const asked: number[] = [];
    let decline = false;
    let misbehave: 'short' | 'late' | null = null;
    // a target that hands out its own array and returns a tensor of it negated, so that its tensor is told apart
    setNormalTarget((shape, write) => {
      const n = shape.reduce((p, d) => p * d, 1);
      asked.push(n);
      if (decline) return null;
      const memory = new Float32Array(misbehave === 'short' ? n - 1 : n);
      write(memory);
      return misbehave === 'late' ? null : tf.tensor(memory.map((x) => -x), [...shape]);
    });
    try {
      const short = tf.tidy(() => randomNormalFast([LONG_DRAW - 1], 5).dataSync());
      expect(asked).toHaveLength(0);
      expect(short).toEqual(tf.tidy(() => tf.randomNormal([LONG_DRAW - 1], 0, 1, 'float32', 5).dataSync()));
      const want = tf.tidy(() => tf.randomNormal([2, LONG_DRAW], 1, 2, 'float32', 9).dataSync());
      const made = tf.tidy(() => randomNormalFast([2, LONG_DRAW], 9, 1, 2).dataSync());
      expect(asked).toEqual([2 * LONG_DRAW]);
      expect(Array.from(made)).toEqual(Array.from(want, (x) => -x));
      decline = true;
      expect(tf.tidy(() => randomNormalFast([2, LONG_DRAW], 9, 1, 2).dataSync())).toEqual(want);
      decline = false;
      misbehave = 'short';
      expect(() => randomNormalFast([2, LONG_DRAW], 9)).toThrow(/memory for 8191 numbers, the draw has 8192/);
      misbehave = 'late';
      expect(() => randomNormalFast([2, LONG_DRAW], 9)).toThrow(/declined a draw after writing it/);
    } finally {
      setNormalTarget(null);
    }
  });

  it('writtenTensor fills long tensors in the target\'s memory and short ones (or declined ones) in an array of its own', () => {
    tf.setBackend('cpu');
    const asked: number[] = [];
    let decline = false;
    let short = false;
    setNormalTarget((shape, write) => {
      const n = shape.reduce((p, d) => p * d, 1);
      asked.push(n);
      if (decline) return null;
      const memory = new Float32Array(short ? n - 1 : n);
      write(memory);
      return tf.tensor(memory.map((x) => x + 1000), [...shape]); // told apart from the plain path
    });
    const ramp = (out: Float32Array): void => {
      for (let i = 0; i < out.length; i++) out[i] = i;
    };
    try {
      const small = writtenTensor([3, 2], ramp);
      expect(small.shape).toEqual([3, 2]);
      expect(Array.from(small.dataSync())).toEqual([0, 1, 2, 3, 4, 5]);
      expect(asked).toHaveLength(0);
      const long = writtenTensor([2, LONG_DRAW], ramp);
      expect(asked).toEqual([2 * LONG_DRAW]);
      expect(long.shape).toEqual([2, LONG_DRAW]);
      expect(long.dataSync()[5]).toBe(1005);
      decline = true;
      expect(writtenTensor([2, LONG_DRAW], ramp).dataSync()[5]).toBe(5);
      decline = false;
      short = true;
      expect(() => writtenTensor([2, LONG_DRAW], ramp)).toThrow(/memory for 8191 values, the tensor has 8192/);
      short = false;
      expect(() => writtenTensor([2, LONG_DRAW], () => { throw new RangeError('bad row'); })).toThrow(/bad row/);
      tf.dispose([small, long]);
    } finally {
      setNormalTarget(null);
    }
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../errors/shape-error.js';
import { Laplace } from './laplace.js';
import { Uniform } from './uniform.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('Uniform', () => {
  const u = (): Uniform => new Uniform(tf.tensor2d([[-1, 2]]), tf.tensor2d([[3, 2.5]]));

  it('logProb is −Σ log(width) inside and −∞ outside', () => {
    const lp = arr(u().logProb(tf.tensor2d([[0, 2.2], [4, 2.2]])));
    expect(lp[0]).toBeCloseTo(-Math.log(4 * 0.5), 5);
    expect(lp[1]).toBe(-Infinity);
  });

  it('entropy is Σ log(width) and mean is the centre', () => {
    expect(arr(u().entropy())[0]).toBeCloseTo(Math.log(2), 5);
    expect(arr(u().mean())).toEqual([1, 2.25]);
  });

  it('samples lie in the box with mean (l+h)/2 and variance w²/12 (within 5 standard errors)', () => {
    const n = 20000;
    const z = u().sample(n, 4);
    const lo = arr(tf.min(z, [0, 1]));
    const hi = arr(tf.max(z, [0, 1]));
    expect(lo[0]).toBeGreaterThanOrEqual(-1);
    expect(hi[1]).toBeLessThanOrEqual(2.5);
    const { mean, variance } = tf.moments(z, 0);
    const m = arr(mean);
    const v = arr(variance);
    [4, 0.5].forEach((w, k) => {
      expect(Math.abs(m[k]! - [1, 2.25][k]!)).toBeLessThan((5 * w) / Math.sqrt(12 * n));
      // var of the sample variance: (μ₄ − σ⁴)/n with μ₄ = w⁴/80, σ⁴ = w⁴/144
      expect(Math.abs(v[k]! - (w * w) / 12)).toBeLessThan(5 * w * w * Math.sqrt((1 / 80 - 1 / 144) / n));
    });
  });

  it('sample is reparameterized: d z/d low = 1 − u, d z/d high = u, both nonzero', () => {
    const [gl, gh] = tf.grads((l: tf.Tensor, h: tf.Tensor) => tf.sum(new Uniform(l, h).sample(10, 1)))([
      tf.tensor2d([[0]]),
      tf.tensor2d([[1]]),
    ]);
    expect(arr(gl!)[0]! + arr(gh!)[0]!).toBeCloseTo(10, 4);
    expect(arr(gh!)[0]).toBeGreaterThan(0);
  });

  it('throws ShapeError on mismatched bounds', () => {
    expect(() => new Uniform(tf.zeros([1, 2]), tf.ones([1, 3]))).toThrow(ShapeError);
  });
});

describe('Laplace', () => {
  it('logProb matches Σ −log(2b) − |z − μ|/b', () => {
    const p = new Laplace(tf.tensor2d([[0.5, -1]]), tf.tensor2d([[Math.log(2), Math.log(0.5)]]));
    const want = -Math.log(4) - 1 / 2 - Math.log(1) - 0.5 / 0.5;
    expect(arr(p.logProb(tf.tensor2d([[1.5, -0.5]])))[0]).toBeCloseTo(want, 5);
  });

  it('entropy is Σ (1 + log 2b)', () => {
    const p = new Laplace(tf.zeros([1, 2]), tf.tensor2d([[0, 1]]));
    expect(arr(p.entropy())[0]).toBeCloseTo(2 + 2 * Math.log(2) + 1, 5);
  });

  it('samples have mean μ and variance 2b² (within 5 standard errors)', () => {
    const n = 20000;
    const b = 1.5;
    const p = new Laplace(tf.tensor2d([[2]]), tf.tensor2d([[Math.log(b)]]));
    const { mean, variance } = tf.moments(p.sample(n, 12), 0);
    expect(Math.abs(arr(mean)[0]! - 2)).toBeLessThan((5 * Math.sqrt(2) * b) / Math.sqrt(n));
    // var of the sample variance: (μ₄ − σ⁴)/n = (24b⁴ − 4b⁴)/n
    expect(Math.abs(arr(variance)[0]! - 2 * b * b)).toBeLessThan(5 * b * b * Math.sqrt(20 / n));
  });

  it('sample is reparameterized: gradients reach loc and logScale', () => {
    const [gl, gs] = tf.grads((l: tf.Tensor, s: tf.Tensor) => tf.sum(tf.square(new Laplace(l, s).sample(16, 3))))([
      tf.tensor2d([[0.3, 0.1]]),
      tf.tensor2d([[0, -0.5]]),
    ]);
    expect(arr(gl!).every((g) => g !== 0)).toBe(true);
    expect(arr(gs!).every((g) => g !== 0 && Number.isFinite(g))).toBe(true);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../errors/shape-error.js';
import { ConfigError } from '../errors/config-error.js';
import { DiagonalGaussian } from './diagonal-gaussian.js';
import { StandardNormal } from './standard-normal.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('DiagonalGaussian', () => {
  it('logProb matches the direct formula Σ −½(log 2π + logVar + (z−μ)²/σ²)', () => {
    const mu = [[0.3, -1.2, 2], [1, 0, -0.5]];
    const lv = [[0.1, -0.7, 1.3], [-2, 0.4, 0]];
    const z = [[0.5, 0.2, -1], [1.5, -0.3, 0.7]];
    const p = new DiagonalGaussian(tf.tensor2d(mu), tf.tensor2d(lv));
    const got = arr(p.logProb(tf.tensor2d(z)));
    for (let b = 0; b < 2; b++) {
      let want = 0;
      for (let k = 0; k < 3; k++) {
        const v = Math.exp(lv[b]![k]!);
        want += -0.5 * (Math.log(2 * Math.PI * v) + (z[b]![k]! - mu[b]![k]!) ** 2 / v);
      }
      expect(got[b]).toBeCloseTo(want, 4);
    }
  });

  it('entropy matches ½Σ log(2πe σ²)', () => {
    const p = new DiagonalGaussian(tf.zeros([1, 2]), tf.tensor2d([[0.5, -1]]));
    const want = 0.5 * (Math.log(2 * Math.PI * Math.E * Math.exp(0.5)) + Math.log(2 * Math.PI * Math.E * Math.exp(-1)));
    expect(arr(p.entropy())[0]).toBeCloseTo(want, 5);
  });

  it('samples have the right shape, mean and variance (within 5 standard errors)', () => {
    const n = 20000;
    const p = new DiagonalGaussian(tf.tensor2d([[1.5, -2]]), tf.tensor2d([[Math.log(4), Math.log(0.25)]]));
    const z = p.sample(n, 7);
    expect(z.shape).toEqual([n, 1, 2]);
    expect(p.sample().shape).toEqual([1, 2]);
    const m = arr(tf.mean(z, 0));
    const { variance } = tf.moments(z, 0);
    const v = arr(variance);
    const sds = [2, 0.5];
    [1.5, -2].forEach((mu, k) => {
      expect(Math.abs(m[k]! - mu)).toBeLessThan((5 * sds[k]!) / Math.sqrt(n));
      // sd of the sample variance of a Gaussian is σ²·√(2/n)
      expect(Math.abs(v[k]! - sds[k]! ** 2)).toBeLessThan(5 * sds[k]! ** 2 * Math.sqrt(2 / n));
    });
  });

  it('same seed gives the same draws', () => {
    const p = new DiagonalGaussian(tf.zeros([2, 3]), tf.zeros([2, 3]));
    expect(arr(p.sample(4, 11))).toEqual(arr(p.sample(4, 11)));
  });

  it('reparameterized samples carry gradients to mean and logVar: d/dμ = 1, d/dlogVar = ½σε', () => {
    const mu = tf.tensor2d([[0.2, -0.4]]);
    const lv = tf.tensor2d([[0.3, -0.6]]);
    const [gMu, gLv] = tf.grads((m: tf.Tensor, l: tf.Tensor) => tf.sum(new DiagonalGaussian(m, l).sample(8, 3)))([mu, lv]);
    expect(arr(gMu!)).toEqual([8, 8]);
    const eps = tf.sub(new DiagonalGaussian(tf.zeros([1, 2]), tf.zeros([1, 2])).sample(8, 3), 0);
    const want = arr(tf.sum(tf.mul(tf.mul(tf.exp(tf.mul(lv, 0.5)), 0.5), eps), 0));
    const got = arr(gLv!);
    got.forEach((g, k) => {
      expect(g).not.toBe(0);
      expect(g).toBeCloseTo(want[k]!, 4);
    });
  });

  it('broadcasts a [1,K] logVar against a [B,K] mean, and reports B', () => {
    const p = new DiagonalGaussian(tf.zeros([3, 2]), tf.zeros([1, 2]));
    expect(p.batchSize).toBe(3);
    expect(p.stddev().shape).toEqual([3, 2]);
    expect(p.logProb(tf.zeros([5, 1, 2])).shape).toEqual([5, 3]);
  });

  it('throws ShapeError with expected and actual shapes', () => {
    expect(() => new DiagonalGaussian(tf.zeros([2]), tf.zeros([2]))).toThrow(/\[B,K\].*got \[2\]/);
    expect(() => new DiagonalGaussian(tf.zeros([2, 3]), tf.zeros([2, 4]))).toThrow(ShapeError);
    expect(() => new DiagonalGaussian(tf.zeros([2, 3]), tf.zeros([4, 3]))).toThrow(/equal or 1/);
    const p = new DiagonalGaussian(tf.zeros([1, 3]), tf.zeros([1, 3]));
    expect(() => p.logProb(tf.zeros([1, 4]))).toThrow(/\[\.\.\., B, 3\], got \[1,4\]/);
    expect(() => p.sample(0)).toThrow(ShapeError);
  });
});

describe('StandardNormal', () => {
  it('is a DiagonalGaussian with μ = 0, logVar = 0, B = 1 and logProb −½(K log 2π + ‖z‖²)', () => {
    const r = new StandardNormal(3);
    expect(r).toBeInstanceOf(DiagonalGaussian);
    expect(r.typeName).toBe('StandardNormal');
    expect(r.batchSize).toBe(1);
    expect(arr(r.mean())).toEqual([0, 0, 0]);
    const got = arr(r.logProb(tf.tensor2d([[1, 2, -1]])))[0]!;
    expect(got).toBeCloseTo(-0.5 * (3 * Math.log(2 * Math.PI) + 6), 5);
    r.dispose();
  });

  it('survives a tf.tidy it was built in', () => {
    tf.engine().startScope();
    const r = new StandardNormal(2);
    tf.engine().endScope(); // what tf.tidy does around a prior built inside it
    expect(arr(r.stddev())).toEqual([1, 1]);
  });

  it('rejects a bad event size with ConfigError', () => {
    expect(() => new StandardNormal(0)).toThrow(ConfigError);
    expect(() => new StandardNormal(2.5)).toThrow(/positive integer, got 2.5/);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import { importanceWeightedBound } from './importance-weighted.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// a linear Gaussian model: z ~ N(0, 1), x|z ~ N(z, s²), so p(x) = N(0, 1 + s²) and p(z|x) = N(x/(1+s²), s²/(1+s²))
const s2 = 0.25;
const xs = [-1.2, 0.3, 2.0];
const logNormal = (v: number, mean: number, variance: number) => -0.5 * (Math.log(2 * Math.PI * variance) + (v - mean) ** 2 / variance);
const logPx = xs.map((x) => logNormal(x, 0, 1 + s2));

function logWeights(q: DiagonalGaussian, k: number, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const z = q.sample(k, seed); // [K,B,1]
    const x = tf.tensor2d(xs, [xs.length, 1]);
    const lik = new DiagonalGaussian(z.reshape([-1, 1]), tf.fill([k * xs.length, 1], Math.log(s2)));
    const logLik = lik.logProb(tf.tile(x, [k, 1])).reshape([k, xs.length]);
    const prior = new DiagonalGaussian(tf.zeros([1, 1]), tf.zeros([1, 1]));
    return tf.sub(tf.add(logLik, prior.logProb(z)), q.logProb(z));
  });
}

describe('importanceWeightedBound (Burda et al. 2016)', () => {
  it('equals log p(x) for every K when q is the exact posterior (all weights are p(x))', () => {
    const post = new DiagonalGaussian(tf.tensor2d(xs.map((x) => [x / (1 + s2)])), tf.fill([xs.length, 1], Math.log(s2 / (1 + s2))));
    for (const k of [1, 5]) {
      const r = importanceWeightedBound(logWeights(post, k, 1));
      const b = r.bound.arraySync() as number[];
      b.forEach((v, i) => expect(v).toBeCloseTo(logPx[i]!, 4));
    }
  });

  it('with the prior as q: at least the ELBO of the same draws, and near log p(x) with K = 20,000', () => {
    const prior = new DiagonalGaussian(tf.zeros([xs.length, 1]), tf.zeros([xs.length, 1]));
    const small = importanceWeightedBound(logWeights(prior, 1, 2));
    const big = importanceWeightedBound(logWeights(prior, 20000, 3));
    const bBig = big.bound.arraySync() as number[];
    const eBig = big.elbo.arraySync() as number[];
    const bSmall = small.bound.arraySync() as number[];
    xs.forEach((_, i) => {
      expect(bBig[i]!).toBeGreaterThanOrEqual(eBig[i]! - 1e-9);
      // the weights' relative variance Var(w)/p(x)² is 1.78, 0.72 and 5.91 for these x (numerical integration), so the
      // bound's SD at K = 20,000 is at most √(5.91/20000) ≈ 0.017 nats: 0.07 is 4 SD
      expect(Math.abs(bBig[i]! - logPx[i]!)).toBeLessThan(0.07);
      expect(bSmall[i]!).toBe((small.elbo.arraySync() as number[])[i]); // K = 1: the bound is the ELBO
    });
    expect(() => importanceWeightedBound(tf.zeros([3]))).toThrow(/shape \[K,B\], got \[3\]/);
  });
});

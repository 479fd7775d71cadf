import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import { FullCovGaussian } from '../distributions/full-cov-gaussian.js';
import { Laplace } from '../distributions/laplace.js';
import { MixtureOfDiagonalGaussians } from '../distributions/mixture-of-diagonal-gaussians.js';
import { SquashedGaussian } from '../distributions/squashed-gaussian.js';
import { Uniform } from '../distributions/uniform.js';
import { InfiniteKLError } from '../errors/infinite-kl-error.js';
import { createKLRegistry } from './kl-registry.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());

function simpson(f: (x: number) => number, a: number, b: number, n: number): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

/** 1-D KL ∫ p log(p/q) by Simpson from log densities (integrand set to 0 where p underflows). */
function kl1d(logP: (x: number) => number, logQ: (x: number) => number, a: number, b: number, n: number): number {
  return simpson((x) => {
    const lp = logP(x);
    return lp < -700 ? 0 : Math.exp(lp) * (lp - logQ(x));
  }, a, b, n);
}

const logNormal = (m: number, v: number) => (x: number): number => -0.5 * (Math.log(2 * Math.PI * v) + (x - m) ** 2 / v);
const logLaplace = (m: number, b: number) => (x: number): number => -Math.log(2 * b) - Math.abs(x - m) / b;

/** Sample standard deviation of the per-sample log ratio, from an independent set of draws. */
function ratioSd(p: { sample: (n: number, s: number) => tf.Tensor; logProb: (z: tf.Tensor) => tf.Tensor }, q: { logProb: (z: tf.Tensor) => tf.Tensor }, n: number): number[] {
  return tf.tidy(() => {
    const z = p.sample(n, 999);
    return arr(tf.sqrt(tf.moments(tf.sub(p.logProb(z), q.logProb(z)), 0).variance));
  });
}

describe('Monte Carlo fallback', () => {
  const kl = createKLRegistry();

  it('Laplace‖DiagonalGaussian has no closed form: exact false, the sample count, close to numeric integration', () => {
    const n = 4000;
    const p = new Laplace(tf.tensor2d([[0.5, -1]]), tf.tensor2d([[Math.log(0.8), Math.log(1.5)]]));
    const q = new DiagonalGaussian(tf.tensor2d([[0, 0.5]]), tf.tensor2d([[0, Math.log(2)]]));
    const res = kl.kl(p, q, { samples: n, seed: 3 });
    expect(res.exact).toBe(false);
    expect(res.samples).toBe(n);
    expect(res.perDim?.shape).toEqual([1, 2]); // both factorize, so per-dimension KL is estimated
    const want = [
      kl1d(logLaplace(0.5, 0.8), logNormal(0, 1), 0.5 - 40 * 0.8, 0.5 + 40 * 0.8, 40000),
      kl1d(logLaplace(-1, 1.5), logNormal(0.5, 2), -1 - 40 * 1.5, -1 + 40 * 1.5, 40000),
    ];
    const perDim = arr(res.perDim!);
    const total = arr(res.total)[0]!;
    // tolerance 5·σ̂/√n, with σ̂ the sd of log p − log q measured on separate draws
    const sd = ratioSd(p, q, n)[0]!;
    expect(Math.abs(total - (want[0]! + want[1]!))).toBeLessThan((5 * sd) / Math.sqrt(n));
    expect(perDim[0]! + perDim[1]!).toBeCloseTo(total, 5);
  });

  it('DiagonalGaussian‖Mixture (q does not factorize): perDim null, close to numeric integration', () => {
    const n = 4000;
    const p = new DiagonalGaussian(tf.tensor2d([[0.3]]), tf.tensor2d([[Math.log(0.5)]]));
    const q = new MixtureOfDiagonalGaussians(tf.tensor1d([0, 0]), tf.tensor2d([[-1], [1]]), tf.tensor2d([[0], [0]]));
    const res = kl.kl(p, q, { samples: n, seed: 5 });
    expect(res.exact).toBe(false);
    expect(res.perDim).toBeNull();
    const logQ = (x: number): number => Math.log(0.5 * Math.exp(logNormal(-1, 1)(x)) + 0.5 * Math.exp(logNormal(1, 1)(x)));
    const want = kl1d(logNormal(0.3, 0.5), logQ, -10, 10, 4000);
    const sd = ratioSd(p, q, n)[0]!;
    expect(Math.abs(arr(res.total)[0]! - want)).toBeLessThan((5 * sd) / Math.sqrt(n));
  });

  it('uses the registry default sample count, and is reproducible with a seed', () => {
    const small = createKLRegistry({ monteCarloSamples: 16 });
    const p = new Laplace(tf.zeros([1, 1]), tf.zeros([1, 1]));
    const q = new DiagonalGaussian(tf.zeros([1, 1]), tf.zeros([1, 1]));
    expect(small.kl(p, q).samples).toBe(16);
    expect(arr(small.kl(p, q, { seed: 4 }).total)).toEqual(arr(small.kl(p, q, { seed: 4 }).total));
  });

  it('gradients flow through the estimate to the parameters of p', () => {
    const q = new DiagonalGaussian(tf.zeros([1, 2]), tf.zeros([1, 2]));
    const g = tf.grad((loc: tf.Tensor) => tf.sum(kl.kl(new Laplace(loc, tf.zeros([1, 2])), q, { seed: 1 }).total))(
      tf.tensor2d([[1, -2]]),
    );
    // ∂/∂μ E[(z)²/2] = μ for the Gaussian term, estimated: the signs must follow μ
    const v = arr(g);
    expect(v[0]).toBeGreaterThan(0);
    expect(v[1]).toBeLessThan(0);
  });

  it('an estimate that would be +∞ throws InfiniteKLError instead of returning Infinity', () => {
    const p = new Uniform(tf.tensor2d([[-2]]), tf.tensor2d([[2]]));
    const q = new SquashedGaussian(tf.zeros([1, 1]), tf.zeros([1, 1]), -1, 1);
    expect(() => kl.kl(p, q, { samples: 64, seed: 2 })).toThrow(InfiniteKLError);
  });
});

describe('infinite KL', () => {
  const kl = createKLRegistry();
  const box = (lo: number[], hi: number[]): Uniform => new Uniform(tf.tensor2d([lo]), tf.tensor2d([hi]));

  it('Uniform‖Uniform with p not inside q throws, naming the dimension', () => {
    expect(() => kl.kl(box([0, 0, -1], [1, 1, 2]), box([-1, -1, -1], [2, 2, 1.5]))).toThrow(InfiniteKLError);
    expect(() => kl.kl(box([0, 0, -1], [1, 1, 2]), box([-1, -1, -1], [2, 2, 1.5]))).toThrow(/dimension 2/);
  });

  it('unbounded families ‖ Uniform throw, naming both types', () => {
    const q = box([-1, -1], [1, 1]);
    const cases = [
      new DiagonalGaussian(tf.zeros([1, 2]), tf.fill([1, 2], -10)),
      new Laplace(tf.zeros([1, 2]), tf.zeros([1, 2])),
      new FullCovGaussian(tf.zeros([1, 2]), tf.tensor3d([[[1, 0], [0, 1]]])),
      new MixtureOfDiagonalGaussians(tf.zeros([1]), tf.zeros([1, 2]), tf.zeros([1, 2])),
    ];
    for (const p of cases) {
      expect(() => kl.kl(p, q)).toThrow(InfiniteKLError);
      expect(() => kl.kl(p, q)).toThrow(new RegExp(`KL\\(${p.typeName} ‖ Uniform\\) is infinite`));
    }
  });

  it('SquashedGaussian‖Uniform throws when the squash box leaves the uniform box', () => {
    const p = new SquashedGaussian(tf.zeros([1, 2]), tf.zeros([1, 2]), -2, 2);
    expect(() => kl.kl(p, box([-3, -1], [3, 1]))).toThrow(/dimension 1/);
  });

  it('SquashedGaussian‖Uniform is finite and matches numeric integration of −H(p) + log(width)', () => {
    const n = 4000;
    const [m, lv, lo, hi] = [[0.5, -1], [Math.log(0.5), Math.log(3)], -1, 2];
    const p = new SquashedGaussian(tf.tensor2d([m]), tf.tensor2d([lv]), lo, hi);
    const q = box([-1, -2], [2, 4]);
    const res = kl.kl(p, q, { samples: n, seed: 8 });
    expect(res.exact).toBe(false);
    expect(res.samples).toBe(n);
    const perDim = arr(res.perDim!);
    const widths = [3, 6];
    for (let k = 0; k < 2; k++) {
      // numeric reference over u: KL_k = E_u[log N(u) + softplus(u) + softplus(−u)] − log(hi − lo) + log(width_k)
      const v = Math.exp(lv[k]!);
      const s = Math.sqrt(v);
      const logN = logNormal(m[k]!, v);
      const jac = (u: number): number => Math.log1p(Math.exp(u)) + Math.log1p(Math.exp(-u));
      const want = simpson((u) => Math.exp(logN(u)) * (logN(u) + jac(u)), m[k]! - 12 * s, m[k]! + 12 * s, 4000) -
        Math.log(hi - lo) + Math.log(widths[k]!);
      // only E[softplus(u) + softplus(−u)] is sampled; its sd is below that of |u| + log 4, so
      // bound it by √(E[u²]) + log 4 over √n, times 5
      const bound = (5 * (Math.sqrt(m[k]! ** 2 + v) + Math.log(4))) / Math.sqrt(n);
      expect(Math.abs(perDim[k]! - want)).toBeLessThan(bound);
      expect(Number.isFinite(perDim[k]!)).toBe(true);
    }
  });

  it('gradients of SquashedGaussian‖Uniform reach the logVar (more spread, less KL)', () => {
    const q = box([-1], [1]);
    const g = tf.grad((lv: tf.Tensor) =>
      kl.kl(new SquashedGaussian(tf.zeros([1, 1]), lv, -1, 1), q, { samples: 256, seed: 1 }).total,
    )(tf.tensor2d([[-2]]));
    expect(arr(g)[0]).toBeLessThan(0);
  });

  it('refuses a density whose logProb has the wrong shape (a scalar broadcast into a rate of garbage)', () => {
    const p = new DiagonalGaussian(tf.tensor2d([[0.3, 0.1]]), tf.tensor2d([[0, 0]]));
    const mixture = new MixtureOfDiagonalGaussians(tf.tensor1d([0, 0]), tf.tensor2d([[-1, 0], [1, 0]]), tf.tensor2d([[0, 0], [0, 0]]));
    // a third party's density that sums over the samples too: one number for [S, B, K] draws
    const summed = Object.assign(Object.create(mixture) as MixtureOfDiagonalGaussians, { logProb: (z: tf.Tensor) => tf.sum(mixture.logProb(z)) });
    expect(() => kl.kl(p, summed, { samples: 8, seed: 1 })).toThrow(
      'MixtureOfDiagonalGaussians.logProb returned shape [] for samples of shape [8, 1, K]: it must return [8, 1] (one log-density per sample, summed over the K dimensions)',
    );
    expect(() => kl.kl(p, mixture, { samples: 8, seed: 1 })).not.toThrow();
  });
});

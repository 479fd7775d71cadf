import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Categorical } from '../distributions/categorical.js';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import type { Distribution } from '../distributions/distribution.js';
import { FullCovGaussian } from '../distributions/full-cov-gaussian.js';
import { Laplace } from '../distributions/laplace.js';
import { StandardNormal } from '../distributions/standard-normal.js';
import { Uniform } from '../distributions/uniform.js';
import { createKLRegistry } from './kl-registry.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());

/** Simpson's rule for ∫ f over [a, b] with n (even) intervals. */
function simpson(f: (x: number) => number, a: number, b: number, n: number): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

/** 1-D KL ∫ p log(p/q) by Simpson over [a, b], from log densities. */
function kl1d(logP: (x: number) => number, logQ: (x: number) => number, a: number, b: number, n = 4000): number {
  return simpson((x) => {
    const lp = logP(x);
    return lp < -700 ? 0 : Math.exp(lp) * (lp - logQ(x));
  }, a, b, n);
}

const logNormal = (m: number, v: number) => (x: number): number => -0.5 * (Math.log(2 * Math.PI * v) + (x - m) ** 2 / v);
const logLaplace = (m: number, b: number) => (x: number): number => -Math.log(2 * b) - Math.abs(x - m) / b;

/** A small seeded generator (LCG) so the "random" parameters are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomMatrix(r: () => number, rows: number, cols: number, lo: number, hi: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => lo + (hi - lo) * r()));
}

/**
 * Monte Carlo reference E_p[log p − log q] with its standard error, from the distributions'
 * own logProb (tested against direct formulas in the distribution tests).
 */
function monteCarlo(p: Distribution, q: Distribution, n: number, seed: number): { mean: number[]; se: number[] } {
  return tf.tidy(() => {
    const z = p.sample(n, seed);
    const d = tf.sub(p.logProb(z), q.logProb(z));
    const { mean, variance } = tf.moments(d, 0);
    return { mean: arr(mean), se: arr(variance).map((v) => Math.sqrt(v / n)) };
  });
}

const registry = createKLRegistry();

describe('closed-form KL against independent computations', () => {
  it("DiagonalGaussian‖StandardNormal (the seeds' formula) matches 1-D numeric integration per dimension", () => {
    const r = rng(1);
    const mu = randomMatrix(r, 3, 4, -2, 2);
    const lv = randomMatrix(r, 3, 4, -3, 1.5);
    const res = registry.kl(new DiagonalGaussian(tf.tensor2d(mu), tf.tensor2d(lv)), new StandardNormal(4));
    expect(res.exact).toBe(true);
    expect(res.samples).toBe(0);
    const perDim = arr(res.perDim!);
    const total = arr(res.total);
    for (let b = 0; b < 3; b++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) {
        const m = mu[b]![k]!;
        const s = Math.exp(0.5 * lv[b]![k]!);
        const want = kl1d(logNormal(m, s * s), logNormal(0, 1), m - 12 * s, m + 12 * s);
        expect(perDim[b * 4 + k]).toBeCloseTo(want, 4);
        sum += want;
      }
      expect(total[b]).toBeCloseTo(sum, 3);
    }
  });

  it('DiagonalGaussian‖DiagonalGaussian matches 1-D numeric integration, with q broadcast from B = 1', () => {
    const r = rng(2);
    const mp = randomMatrix(r, 2, 3, -1, 1);
    const vp = randomMatrix(r, 2, 3, -1, 1);
    const mq = randomMatrix(r, 1, 3, -1, 1);
    const vq = randomMatrix(r, 1, 3, -1, 1);
    const p = new DiagonalGaussian(tf.tensor2d(mp), tf.tensor2d(vp));
    const q = new DiagonalGaussian(tf.tensor2d(mq), tf.tensor2d(vq));
    const perDim = arr(registry.kl(p, q).perDim!);
    for (let b = 0; b < 2; b++) {
      for (let k = 0; k < 3; k++) {
        const s = Math.exp(0.5 * vp[b]![k]!);
        const lp = logNormal(mp[b]![k]!, s * s);
        const want = kl1d(lp, logNormal(mq[0]![k]!, Math.exp(vq[0]![k]!)), mp[b]![k]! - 12 * s, mp[b]![k]! + 12 * s);
        expect(perDim[b * 3 + k]).toBeCloseTo(want, 4);
      }
    }
  });

  it('Laplace‖Laplace matches 1-D numeric integration per dimension', () => {
    const lp = [[0.3, -1, 2]];
    const sp = [[0, Math.log(0.5), Math.log(2)]];
    const lq = [[-0.5, 0, 2]];
    const sq = [[Math.log(1.5), 0, Math.log(0.7)]];
    const res = registry.kl(
      new Laplace(tf.tensor2d(lp), tf.tensor2d(sp)),
      new Laplace(tf.tensor2d(lq), tf.tensor2d(sq)),
    );
    const perDim = arr(res.perDim!);
    for (let k = 0; k < 3; k++) {
      const b = Math.exp(sp[0]![k]!);
      const m = lp[0]![k]!;
      // the integrand has kinks at both locations, so use a fine grid (error O(h²))
      const want = kl1d(logLaplace(m, b), logLaplace(lq[0]![k]!, Math.exp(sq[0]![k]!)), m - 40 * b, m + 40 * b, 40000);
      expect(perDim[k]).toBeCloseTo(want, 3);
    }
  });

  it('Uniform‖Uniform equals ∫ p log(p/q) over the inner box', () => {
    const p = new Uniform(tf.tensor2d([[0, -1]]), tf.tensor2d([[1, 0.5]]));
    const q = new Uniform(tf.tensor2d([[-1, -2]]), tf.tensor2d([[2, 2]]));
    const perDim = arr(registry.kl(p, q).perDim!);
    expect(perDim[0]).toBeCloseTo(simpson(() => Math.log(3), 0, 1, 2), 5);
    expect(perDim[1]).toBeCloseTo(simpson(() => (1 / 1.5) * Math.log(4 / 1.5), -1, 0.5, 2), 5);
  });

  it('Categorical‖Categorical equals Σ π_p log(π_p/π_q) from the probabilities', () => {
    const lp = [0.2, -1, 1.5, 0];
    const lq = [0, 0.5, -0.3, 1];
    const softmax = (l: number[]): number[] => {
      const e = l.map(Math.exp);
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / z);
    };
    const [pp, pq] = [softmax(lp), softmax(lq)];
    const want = pp.reduce((a, p, i) => a + p * Math.log(p / pq[i]!), 0);
    const res = registry.kl(new Categorical(tf.tensor2d([lp])), new Categorical(tf.tensor2d([lq])));
    expect(arr(res.total)[0]).toBeCloseTo(want, 5);
    expect(res.perDim).toBeNull();
  });

  describe('full-covariance pairs against Monte Carlo (|closed − MC| < 5·σ̂/√n, n = 20000)', () => {
    const n = 20000;
    const p = new FullCovGaussian(
      tf.tensor2d([[0.5, -0.3, 1], [0, 0, 0]]),
      tf.tensor3d([
        [[1.1, 0, 0], [0.4, 0.7, 0], [-0.3, 0.2, 0.9]],
        [[0.5, 0, 0], [-0.2, 1.3, 0], [0.6, 0.1, 0.6]],
      ]),
    );
    const cases: Array<[string, Distribution, Distribution]> = [
      ['FullCov‖FullCov', p, new FullCovGaussian(tf.tensor2d([[0.2, 0.1, -0.4]]), tf.tensor3d([[[1.3, 0, 0], [-0.5, 0.9, 0], [0.2, 0.3, 1.2]]]))],
      ['FullCov‖StandardNormal', p, new StandardNormal(3)],
      ['FullCov‖Diagonal', p, new DiagonalGaussian(tf.tensor2d([[0.3, -0.2, 0.1]]), tf.tensor2d([[0.2, -0.4, 0.5]]))],
      ['Diagonal‖FullCov', new DiagonalGaussian(tf.tensor2d([[0.3, -0.2, 0.1]]), tf.tensor2d([[0.2, -0.4, 0.5]])), p],
    ];
    for (const [name, a, b] of cases) {
      it(name, () => {
        const res = registry.kl(a, b);
        expect(res.exact).toBe(true);
        const got = arr(res.total);
        const mc = monteCarlo(a, b, n, 17);
        expect(got.length).toBe(2);
        got.forEach((g, i) => expect(Math.abs(g - mc.mean[i]!)).toBeLessThan(5 * mc.se[i]!));
      });
    }

    it('FullCov‖FullCov with diagonal factors equals DiagonalGaussian‖DiagonalGaussian', () => {
      const full = (m: number[], s: number[]): FullCovGaussian =>
        new FullCovGaussian(tf.tensor2d([m]), tf.tensor3d([[[s[0]!, 0], [0, s[1]!]]]));
      const diag = (m: number[], s: number[]): DiagonalGaussian =>
        new DiagonalGaussian(tf.tensor2d([m]), tf.tensor2d([s.map((v) => 2 * Math.log(v))]));
      const a = arr(registry.kl(full([1, 2], [0.5, 2]), full([0, -1], [1.5, 0.8])).total)[0]!;
      const b = arr(registry.kl(diag([1, 2], [0.5, 2]), diag([0, -1], [1.5, 0.8])).total)[0]!;
      expect(a).toBeCloseTo(b, 4);
    });
  });

  it('gradients flow through the closed form: d KL(N(μ,σ²)‖N(0,1))/dμ = μ, d/dlogVar = ½(exp(logVar) − 1)', () => {
    const mu = tf.tensor2d([[0.7, -1.2]]);
    const lv = tf.tensor2d([[0.4, -0.9]]);
    const r = new StandardNormal(2);
    const [gm, gv] = tf.grads((m: tf.Tensor, v: tf.Tensor) => tf.sum(registry.kl(new DiagonalGaussian(m, v), r).total))([mu, lv]);
    expect(arr(gm!)[0]).toBeCloseTo(0.7, 5);
    expect(arr(gm!)[1]).toBeCloseTo(-1.2, 5);
    expect(arr(gv!)[0]).toBeCloseTo(0.5 * (Math.exp(0.4) - 1), 5);
    expect(arr(gv!)[1]).toBeCloseTo(0.5 * (Math.exp(-0.9) - 1), 5);
  });
});

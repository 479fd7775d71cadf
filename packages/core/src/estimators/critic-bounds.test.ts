import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../errors/shape-error.js';
import { infoNceCeilingNats, infoNceLowerBound } from './infonce.js';
import { jsFganObjective, jsLowerBound } from './js.js';
import { createMineEstimator, dvLowerBound } from './mine.js';
import { nwjLowerBound } from './nwj.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const num = (t: tf.Tensor): number => t.dataSync()[0]!;

/**
 * Jointly Gaussian (X, Y), Y = ρX + √(1−ρ²)ε per dimension, true I = −½·d·log(1−ρ²).
 * Scores are the true log density ratio f[i][j] = log p(y_j|x_i) − log p(y_j), the optimal critic.
 */
function gaussianScores(batch: number, d: number, rho: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const x = tf.randomNormal([batch, d], 0, 1, 'float32', seed);
    const eps = tf.randomNormal([batch, d], 0, 1, 'float32', seed + 7919);
    const y = tf.add(tf.mul(x, rho), tf.mul(eps, Math.sqrt(1 - rho * rho)));
    const s2 = 1 - rho * rho;
    const xx = tf.sum(tf.square(x), 1).reshape([batch, 1]);
    const yy = tf.sum(tf.square(y), 1).reshape([1, batch]);
    const xy = tf.matMul(x, y, false, true);
    const cond = tf.div(tf.add(tf.sub(yy, tf.mul(xy, 2 * rho)), tf.mul(xx, rho * rho)), 2 * s2);
    return tf.add(tf.sub(tf.mul(yy, 0.5), cond), -0.5 * d * Math.log(s2)) as tf.Tensor2D;
  });
}

const trueMI = (d: number, rho: number): number => -0.5 * d * Math.log(1 - rho * rho);

/** Mean and standard error of a bound over R independent batches. */
function repeated(bound: (f: tf.Tensor2D) => tf.Scalar, shift: number, batch = 128, d = 2, rho = 0.5, reps = 24) {
  const v: number[] = [];
  for (let r = 0; r < reps; r++) {
    v.push(tf.tidy(() => num(bound(tf.add(gaussianScores(batch, d, rho, 100 + r), shift) as tf.Tensor2D))));
  }
  const mean = v.reduce((a, b) => a + b, 0) / reps;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (reps - 1));
  return { mean, se: sd / Math.sqrt(reps) };
}

describe('critic bounds on correlated Gaussians with the optimal critic', () => {
  const I = trueMI(2, 0.5); // 0.2877 nats
  // Tolerance: 5 standard errors of the mean over 24 batches of B = 128 (the spread is measured, not assumed),
  // plus 0.02 nats for the finite-B bias: InfoNCE with the optimal critic sits below I by O(E_p[r]/B)
  // (≈ e^{χ²}/B ≈ 0.01 here); NWJ and JS are unbiased; DV's log-of-mean bias is ≈ Var_q(r)/(2B(B−1)), negligible.
  const tol = (se: number): number => 5 * se + 0.02;

  it('InfoNCE comes close to −½·d·log(1−ρ²) and not above log B', () => {
    const { mean, se } = repeated(infoNceLowerBound, 0);
    expect(Math.abs(mean - I)).toBeLessThan(tol(se));
    expect(mean).toBeLessThan(I + 5 * se);
  });

  it('NWJ is tight at the critic 1 + log ratio, and low by e^{-1}·… at the raw log ratio', () => {
    const shifted = repeated(nwjLowerBound, 1);
    expect(Math.abs(shifted.mean - I)).toBeLessThan(tol(shifted.se));
    // at f = log r: E_p[log r] − e^{−1}·E_q[r] = I − e^{−1}
    const raw = repeated(nwjLowerBound, 0);
    expect(Math.abs(raw.mean - (I - Math.exp(-1)))).toBeLessThan(tol(raw.se));
  });

  it('JS (NWJ-evaluated at f + 1) is tight at the log ratio', () => {
    const { mean, se } = repeated(jsLowerBound, 0);
    expect(Math.abs(mean - I)).toBeLessThan(tol(se));
  });

  it('DV / MINE is tight at the log ratio, and invariant to a constant shift of the critic', () => {
    const { mean, se } = repeated(dvLowerBound, 0);
    expect(Math.abs(mean - I)).toBeLessThan(tol(se));
    const f = gaussianScores(64, 2, 0.5, 5);
    expect(num(dvLowerBound(tf.add(f, 3.7) as tf.Tensor2D))).toBeCloseTo(num(dvLowerBound(f)), 4);
    const mine = createMineEstimator({ emaDecay: 0.9 });
    expect(-num(mine.loss(f))).toBeCloseTo(num(dvLowerBound(f)), 5);
  });
});

describe('InfoNCE ceiling log B', () => {
  it('an all-powerful critic reaches exactly log B and no more', () => {
    for (const b of [4, 32, 100]) {
      const f = tf.mul(tf.eye(b), 1e3) as tf.Tensor2D;
      expect(num(infoNceLowerBound(f))).toBeCloseTo(infoNceCeilingNats(b), 5);
    }
    // a batch of one pair or none has no ceiling (it returned 0 and −Infinity)
    for (const bad of [1, 0, -3, 2.5]) expect(() => infoNceCeilingNats(bad)).toThrow(`InfoNCE's ceiling needs a batch of B ≥ 2 pairs, got ${bad}`);
  });

  it('with true MI far above log B (31 nats vs log 64 = 4.16) it stays ≤ log B', () => {
    const f = gaussianScores(64, 10, 0.999, 11);
    const v = num(infoNceLowerBound(f));
    expect(v).toBeLessThanOrEqual(Math.log(64) + 1e-5);
    expect(v).toBeGreaterThan(Math.log(64) - 0.1);
    // NWJ and DV are not capped: they exceed log B here
    expect(num(dvLowerBound(f))).toBeGreaterThan(Math.log(64));
  });
});

describe('gradients', () => {
  const grad = (fn: (f: tf.Tensor2D) => tf.Scalar, f: tf.Tensor2D): Float32Array =>
    tf.grad((s: tf.Tensor) => fn(s as tf.Tensor2D))(f).dataSync() as Float32Array;

  it('JS has the value of NWJ(f + 1) and the gradient of the JS f-GAN objective', () => {
    const f = gaussianScores(16, 2, 0.5, 3);
    expect(num(jsLowerBound(f))).toBeCloseTo(num(nwjLowerBound(tf.add(f, 1) as tf.Tensor2D)), 5);
    const g = grad(jsLowerBound, f);
    const want = grad(jsFganObjective, f);
    for (let i = 0; i < g.length; i++) expect(g[i]).toBeCloseTo(want[i]!, 6);
  });

  it('MINE with emaDecay 0 has the plain DV gradient', () => {
    const f = gaussianScores(16, 2, 0.5, 4);
    const mine = createMineEstimator({ emaDecay: 0 });
    const g = grad((s) => mine.loss(s), f);
    const want = grad((s) => tf.neg(dvLowerBound(s)) as tf.Scalar, f);
    for (let i = 0; i < g.length; i++) expect(g[i]).toBeCloseTo(want[i]!, 5);
  });

  it('MINE divides the partition gradient by the moving average, not the batch value', () => {
    const mine = createMineEstimator({ emaDecay: 0.5 });
    const b = 8;
    const offMask = tf.sub(1, tf.eye(b));
    const f1 = tf.zeros([b, b]) as tf.Tensor2D; // E_q[e^f] = 1
    mine.loss(f1);
    expect(mine.movingAverage).toBeCloseTo(1, 6);
    const f2 = tf.fill([b, b], Math.log(3)) as tf.Tensor2D; // E_q[e^f] = 3
    // moving average after f2: (0.5·0.5·1 + 0.5·3) / (1 − 0.25) = 7/3
    const g = grad((s) => mine.loss(s), f2);
    expect(mine.movingAverage).toBeCloseTo(7 / 3, 5);
    // off-diagonal gradient of −(E_p f − E_q[e^f]/m): e^f/(B(B−1)·m) = 3/(56·7/3)
    const want = 3 / (b * (b - 1) * (7 / 3));
    const off = tf.mul(tf.tensor(g, [b, b]), offMask).max().dataSync()[0]!;
    expect(off).toBeCloseTo(want, 5);
    // diagonal gradient: −1/B
    expect(g[0]).toBeCloseTo(-1 / b, 6);
  });

  it('the off-diagonal mask leaves finite gradients', () => {
    const f = gaussianScores(8, 2, 0.5, 6);
    for (const fn of [nwjLowerBound, dvLowerBound, jsLowerBound, infoNceLowerBound]) {
      for (const v of grad(fn, f)) expect(Number.isFinite(v)).toBe(true);
    }
  });
});

describe('errors', () => {
  it('rejects non-square or 1×1 scores', () => {
    expect(() => infoNceLowerBound(tf.zeros([3, 4]) as tf.Tensor2D)).toThrow(ShapeError);
    expect(() => nwjLowerBound(tf.zeros([1, 1]) as tf.Tensor2D)).toThrow(/B ≥ 2/);
    expect(() => createMineEstimator({ emaDecay: 1 })).toThrow(/emaDecay/);
  });
});

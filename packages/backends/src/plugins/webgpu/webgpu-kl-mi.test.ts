// A representative subset of @vib/core's closed-form KL and MI-bound tests, on webgpu (SwiftShader through
// Dawn, in this process: see webgpu-kernels.test.ts), with values read back asynchronously.
process.env['VIB_WEBGPU_SWIFTSHADER'] = '1';

import * as tf from '@tensorflow/tfjs';
import { createKLRegistry, DiagonalGaussian, dvLowerBound, FullCovGaussian, infoNceLowerBound, nwjLowerBound, StandardNormal } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { webgpuBackend } from './webgpu-backend.js';

beforeAll(async () => {
  await webgpuBackend.setup({ requested: true });
  tf.env().set('WEBGPU_CPU_FORWARD', false); // every op on the GPU, even small ones fresh from the host
});

const read = async (t: tf.Tensor): Promise<number[]> => Array.from(await t.data());
const registry = createKLRegistry();

/** ∫ p log(p/q) over [a, b] by Simpson's rule (n even intervals), from log densities. */
function kl1d(logP: (x: number) => number, logQ: (x: number) => number, a: number, b: number, n = 4000): number {
  const f = (x: number) => (logP(x) < -700 ? 0 : Math.exp(logP(x)) * (logP(x) - logQ(x)));
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}
const logNormal = (m: number, v: number) => (x: number) => -0.5 * (Math.log(2 * Math.PI * v) + (x - m) ** 2 / v);

describe('closed-form KL on webgpu against independent computations', () => {
  it('DiagonalGaussian‖StandardNormal matches 1-D numeric integration per dimension (B = 3, K = 5)', async () => {
    const mu = [[-1.7, 0.3, 1.2, -0.4, 2], [0.9, -2, 0.1, 1.5, -0.6], [0, 0.5, -1.1, 0.7, 1.9]];
    const lv = [[-2.5, 0.4, 1.3, -0.8, 0], [1, -1.5, 0.2, -3, 0.9], [0.3, -0.2, 1.4, -1, -2]];
    const res = registry.kl(new DiagonalGaussian(tf.tensor2d(mu), tf.tensor2d(lv)), new StandardNormal(5));
    expect(res.exact).toBe(true);
    const perDim = await read(res.perDim!);
    const total = await read(res.total);
    for (let b = 0; b < 3; b++) {
      let sum = 0;
      for (let k = 0; k < 5; k++) {
        const [m, s] = [mu[b]![k]!, Math.exp(0.5 * lv[b]![k]!)];
        const want = kl1d(logNormal(m, s * s), logNormal(0, 1), m - 12 * s, m + 12 * s);
        expect(perDim[b * 5 + k]).toBeCloseTo(want, 4);
        sum += want;
      }
      expect(total[b]).toBeCloseTo(sum, 3);
    }
  });

  it('DiagonalGaussian‖DiagonalGaussian matches numeric integration, with q broadcast from B = 1', async () => {
    const [mp, vp, mq, vq] = [[[0.4, -0.9, 0.2], [-0.3, 0.8, 1]], [[0.5, -0.7, 0.1], [-1, 0.6, 0.3]], [[0.1, 0.5, -0.6]], [[-0.4, 0.9, 0.2]]];
    const res = registry.kl(new DiagonalGaussian(tf.tensor2d(mp), tf.tensor2d(vp)), new DiagonalGaussian(tf.tensor2d(mq), tf.tensor2d(vq)));
    const perDim = await read(res.perDim!);
    for (let b = 0; b < 2; b++) {
      for (let k = 0; k < 3; k++) {
        const s = Math.exp(0.5 * vp[b]![k]!);
        const want = kl1d(logNormal(mp[b]![k]!, s * s), logNormal(mq[0]![k]!, Math.exp(vq[0]![k]!)), mp[b]![k]! - 12 * s, mp[b]![k]! + 12 * s);
        expect(perDim[b * 3 + k]).toBeCloseTo(want, 4);
      }
    }
  });

  it('FullCovGaussian‖StandardNormal equals ½(tr Σ + μᵀμ − k − log det Σ) with Σ = LLᵀ', async () => {
    const mu = [0.5, -0.3, 1];
    const L = [[1.1, 0, 0], [0.4, 0.7, 0], [-0.3, 0.2, 0.9]];
    const tr = L.flat().reduce((a, v) => a + v * v, 0);
    const logDet = 2 * L.reduce((a, row, i) => a + Math.log(row[i]!), 0);
    const want = 0.5 * (tr + mu.reduce((a, v) => a + v * v, 0) - 3 - logDet);
    const res = registry.kl(new FullCovGaussian(tf.tensor2d([mu]), tf.tensor3d([L])), new StandardNormal(3));
    expect((await read(res.total))[0]).toBeCloseTo(want, 4);
  });

  it('gradients flow through the closed form: d KL(N(μ,σ²)‖N(0,1))/dμ = μ, d/dlogVar = ½(exp(logVar) − 1)', async () => {
    const [gm, gv] = tf.grads((m: tf.Tensor, v: tf.Tensor) => tf.sum(registry.kl(new DiagonalGaussian(m, v), new StandardNormal(2)).total))([
      tf.tensor2d([[0.7, -1.2]]),
      tf.tensor2d([[0.4, -0.9]]),
    ]);
    const [m, v] = [await read(gm!), await read(gv!)];
    expect(m[0]).toBeCloseTo(0.7, 5);
    expect(m[1]).toBeCloseTo(-1.2, 5);
    expect(v[0]).toBeCloseTo(0.5 * (Math.exp(0.4) - 1), 5);
    expect(v[1]).toBeCloseTo(0.5 * (Math.exp(-0.9) - 1), 5);
  });
});

/** Optimal-critic scores f[i][j] = log p(y_j|x_i) − log p(y_j) for Y = ρX + √(1−ρ²)ε, d dimensions. */
function gaussianScores(batch: number, d: number, rho: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const x = tf.randomNormal([batch, d], 0, 1, 'float32', seed);
    const y = tf.add(tf.mul(x, rho), tf.mul(tf.randomNormal([batch, d], 0, 1, 'float32', seed + 7919), Math.sqrt(1 - rho * rho)));
    const s2 = 1 - rho * rho;
    const xx = tf.sum(tf.square(x), 1).reshape([batch, 1]);
    const yy = tf.sum(tf.square(y), 1).reshape([1, batch]);
    const cond = tf.div(tf.add(tf.sub(yy, tf.mul(tf.matMul(x, y, false, true), 2 * rho)), tf.mul(xx, rho * rho)), 2 * s2);
    return tf.add(tf.sub(tf.mul(yy, 0.5), cond), -0.5 * d * Math.log(s2)) as tf.Tensor2D;
  });
}

describe('MI lower bounds on webgpu, correlated Gaussians with the optimal critic', () => {
  const I = -0.5 * 2 * Math.log(1 - 0.5 * 0.5); // 0.2877 nats, d = 2, ρ = 0.5
  /** Mean and standard error of a bound over 24 batches of B = 128, all read back at once. */
  async function repeated(bound: (f: tf.Tensor2D) => tf.Scalar, shift: number) {
    const all = tf.tidy(() => tf.stack(Array.from({ length: 24 }, (_, r) => bound(tf.add(gaussianScores(128, 2, 0.5, 100 + r), shift) as tf.Tensor2D))));
    const v = await read(all);
    all.dispose();
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
    return { mean, se: sd / Math.sqrt(v.length) };
  }
  // as in @vib/core: 5 standard errors of the mean plus 0.02 nats for InfoNCE's finite-B bias
  const tol = (se: number): number => 5 * se + 0.02;

  it('InfoNCE, NWJ (at 1 + log ratio) and DV come within tolerance of −½·d·log(1−ρ²)', async () => {
    for (const [bound, shift] of [[infoNceLowerBound, 0], [nwjLowerBound, 1], [dvLowerBound, 0]] as const) {
      const { mean, se } = await repeated(bound, shift);
      expect(Math.abs(mean - I)).toBeLessThan(tol(se));
    }
  });
});

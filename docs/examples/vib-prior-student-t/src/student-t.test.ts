import * as tf from '@tensorflow/tfjs';
import { createKLRegistry, DiagonalGaussian } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { logGamma } from './log-gamma.js';
import { StudentT } from './student-t.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** log t_ν(z; 0, s) in float64, written out independently of the class. */
function logT(z: number, nu: number, s: number): number {
  const u = z / s;
  return logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(s) - ((nu + 1) / 2) * Math.log1p((u * u) / nu);
}

/** log N(z; μ, σ²) in float64. */
function logN(z: number, mu: number, sigma: number): number {
  return -0.5 * Math.log(2 * Math.PI) - Math.log(sigma) - ((z - mu) ** 2) / (2 * sigma * sigma);
}

/** Mean and variance of d(z) = log N(z; μ, σ²) − log t_ν(z; 0, s) under N(μ, σ²), by the midpoint rule on μ ± 12σ. */
function klByQuadrature(mu: number, sigma: number, nu: number, s: number): { kl: number; variance: number } {
  const n = 20000;
  const h = (24 * sigma) / n;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const z = mu - 12 * sigma + (i + 0.5) * h;
    const w = Math.exp(logN(z, mu, sigma)) * h;
    const d = logN(z, mu, sigma) - logT(z, nu, s);
    m1 += w * d;
    m2 += w * d * d;
  }
  return { kl: m1, variance: m2 - m1 * m1 };
}

describe('StudentT', () => {
  it('is the Cauchy density at ν = 1: log p(z) = −log(π s (1 + (z/s)²))', () => {
    const zs = [-7, -1, 0, 0.5, 3];
    const s = 2;
    const r = new StudentT(1, tf.zeros([1, 1]), tf.fill([1, 1], s));
    const got = tf.tidy(() => Array.from(r.logProb(tf.tensor2d(zs, [zs.length, 1])).dataSync()));
    zs.forEach((z, i) => expect(got[i]).toBeCloseTo(-Math.log(Math.PI * s * (1 + (z / s) ** 2)), 5));
  });

  it('integrates to 1 (ν = 3, trapezoid rule on [−400, 400]; the tail beyond holds < 1e-7)', () => {
    const r = new StudentT(3, tf.zeros([1, 1]), tf.ones([1, 1]));
    const n = 80001;
    const total = tf.tidy(() => {
      const z = tf.reshape(tf.linspace(-400, 400, n), [n, 1]);
      const p = tf.exp(r.logProb(z));
      const h = 800 / (n - 1);
      return (tf.sum(p).dataSync()[0] ?? NaN) * h;
    });
    expect(total).toBeCloseTo(1, 4);
  });

  it('draws samples with variance ν/(ν−2)·s² (ν = 10, n = 20000, within 5 standard errors)', () => {
    const nu = 10;
    const s = 1.5;
    const r = new StudentT(nu, tf.zeros([1, 1]), tf.fill([1, 1], s));
    const n = 20000;
    const xs = tf.tidy(() => Array.from(r.sample(n, 7).dataSync()));
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    const sigma2 = (nu / (nu - 2)) * s * s;
    // Var of the sample variance ≈ (μ4 − σ⁴)/n, with μ4 = (3 + 6/(ν−4))·σ⁴ for the t distribution.
    const se = Math.sqrt(((3 + 6 / (nu - 4) - 1) * sigma2 * sigma2) / n);
    expect(Math.abs(variance - sigma2)).toBeLessThan(5 * se);
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(sigma2 / n));
  });

  it('gets KL(N(μ, σ²) ‖ t_ν) per dimension from the dispatcher\'s Monte Carlo fallback, matching quadrature within 5 SE', () => {
    const kl = createKLRegistry();
    const mus = [0, 1.5, -3];
    const sigmas = [1, 0.3, 2];
    const nu = 3;
    const s = 1;
    const p = new DiagonalGaussian(tf.tensor2d([mus]), tf.tensor2d([sigmas.map((x) => Math.log(x * x))]));
    const r = new StudentT(nu, tf.zeros([1, 3]), tf.fill([1, 3], s));
    expect(kl.hasRule(p, r)).toBe(false);
    const samples = 4000;
    const result = kl.kl(p, r, { samples, seed: 11 });
    expect(result.exact).toBe(false);
    expect(result.samples).toBe(samples);
    expect(result.perDim).not.toBeNull();
    const perDim = Array.from(result.perDim?.dataSync() ?? []);
    mus.forEach((mu, k) => {
      const q = klByQuadrature(mu, sigmas[k] ?? NaN, nu, s);
      expect(Math.abs((perDim[k] ?? NaN) - q.kl)).toBeLessThan(5 * Math.sqrt(q.variance / samples) + 1e-4);
    });
    const total = result.total.dataSync()[0] ?? NaN;
    expect(total).toBeCloseTo(perDim.reduce((a, b) => a + b, 0), 4);
    tf.dispose([result.total, result.perDim as tf.Tensor]);
  });

  it('approaches the Gaussian closed form as ν → ∞ (quadrature, ν = 1e6)', () => {
    const [mu, sigma, s] = [0.7, 0.5, 1.3];
    const gaussian = Math.log(s / sigma) + (sigma * sigma + mu * mu) / (2 * s * s) - 0.5;
    expect(klByQuadrature(mu, sigma, 1e6, s).kl).toBeCloseTo(gaussian, 5);
  });
});

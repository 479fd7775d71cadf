import { createFromEntry } from '../testing/create-from-entry.js';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, createKLRegistry, DiagonalGaussian } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStandaloneContext } from '../config/standalone-context.js';
import { laplacePrior } from './laplace.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return Math.sign(x) * y;
}
const phi = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));

/** KL(N(μ, σ²) ‖ Laplace(0, b)) = −½·log(2πeσ²) + log 2b + E|z|/b, with E|z| of the folded normal. */
function klGaussLaplace(mu: number, s: number, b: number): number {
  const eAbs = s * Math.sqrt(2 / Math.PI) * Math.exp(-(mu * mu) / (2 * s * s)) + mu * (1 - 2 * phi(-mu / s));
  return -0.5 * Math.log(2 * Math.PI * Math.E * s * s) + Math.log(2 * b) + eAbs / b;
}

/** Standard deviation of log N(z) − log Laplace(z) under z ~ N(μ, σ²), by trapezoid quadrature. */
function sdLogRatio(mu: number, s: number, b: number): number {
  const n = 20_000;
  const [lo, hi] = [mu - 12 * s, mu + 12 * s];
  const h = (hi - lo) / n;
  let [m1, m2] = [0, 0];
  for (let i = 0; i <= n; i++) {
    const z = lo + i * h;
    const w = (i === 0 || i === n ? 0.5 : 1) * h;
    const logN = -0.5 * Math.log(2 * Math.PI * s * s) - ((z - mu) ** 2) / (2 * s * s);
    const f = logN + Math.log(2 * b) + Math.abs(z) / b;
    m1 += w * Math.exp(logN) * f;
    m2 += w * Math.exp(logN) * f * f;
  }
  return Math.sqrt(m2 - m1 * m1);
}

describe('laplace prior', () => {
  it('logProb matches −Σ(log 2b + |z|/b), with default b = 1/√2 (unit variance)', () => {
    const cases: Array<[number | undefined, number]> = [[0.4, 0.4], [undefined, Math.SQRT1_2]];
    for (const [scale, b] of cases) {
      const config = scale === undefined ? {} : { scale };
      const r = createFromEntry(laplacePrior, config as never, createStandaloneContext(3)).distribution();
      const z = [0.5, -2, 0];
      const expected = -z.reduce((s, v) => s + Math.log(2 * b) + Math.abs(v) / b, 0);
      const lp = r.logProb(tf.tensor2d([z]));
      expect(lp.dataSync()[0]).toBeCloseTo(expected, 5);
      lp.dispose();
    }
    expect(2 * Math.SQRT1_2 ** 2).toBeCloseTo(1, 12);
  });

  it('KL from a diagonal Gaussian posterior (Monte Carlo, per dimension) matches the closed form', () => {
    const b = 0.8;
    const r = createFromEntry(laplacePrior, { scale: b }, createStandaloneContext(3)).distribution();
    const mu = [0, 1.5, -0.7];
    const lv = [0, -1.5, 0.8];
    const samples = 4000;
    const kl = createKLRegistry().kl(new DiagonalGaussian(tf.tensor2d([mu]), tf.tensor2d([lv])), r, { samples, seed: 3 });
    expect(kl.exact).toBe(false);
    expect(kl.samples).toBe(samples);
    const perDim = Array.from(kl.perDim?.dataSync() ?? []);
    expect(perDim).toHaveLength(3);
    mu.forEach((m, k) => {
      const s = Math.exp(0.5 * (lv[k] ?? NaN));
      // 5 standard errors of the sample mean of log p − log r
      expect(Math.abs((perDim[k] ?? NaN) - klGaussLaplace(m, s, b))).toBeLessThan((5 * sdLogRatio(m, s, b)) / Math.sqrt(samples));
    });
    tf.dispose([kl.total, kl.perDim ?? []]);
  });

  it('rejects a non-positive scale, naming the field', () => {
    expect(() => createFromEntry(laplacePrior, { scale: 0 }, createStandaloneContext(1))).toThrow(ConfigError);
    expect(() => createFromEntry(laplacePrior, { scale: -1 }, createStandaloneContext(1))).toThrow(/prior\.config\.scale\b.*-1/);
    expect(laplacePrior.posteriors).toEqual(['diagonal-gaussian']);
  });
});

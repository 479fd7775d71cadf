import { createFromEntry } from '../testing/create-from-entry.js';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, createKLRegistry, DiagonalGaussian, InfiniteKLError, SquashedGaussian } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStandaloneContext } from '../config/standalone-context.js';
import { uniformPrior } from './uniform.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

/**
 * Per-dimension KL(squashed N(μ, σ²) ‖ U[box]) by trapezoid quadrature over u, with the standard
 * deviation of the sampled term g(u) = softplus(u) + softplus(−u) (what the estimator averages).
 * By change of variables, log p(z) + log w = log N(u) + g(u): the box width cancels.
 */
function squashedUniformKL(mu: number, logVar: number): { kl: number; sdG: number } {
  const s = Math.exp(0.5 * logVar);
  const n = 20_000;
  const [a, b] = [mu - 12 * s, mu + 12 * s];
  const h = (b - a) / n;
  let [e, eg, eg2] = [0, 0, 0];
  for (let i = 0; i <= n; i++) {
    const u = a + i * h;
    const w = (i === 0 || i === n ? 0.5 : 1) * h;
    const logN = -0.5 * (Math.log(2 * Math.PI) + logVar + ((u - mu) / s) ** 2);
    const g = softplus(u) + softplus(-u);
    const pdf = Math.exp(logN);
    e += w * pdf * (logN + g);
    eg += w * pdf * g;
    eg2 += w * pdf * g * g;
  }
  return { kl: e, sdG: Math.sqrt(eg2 - eg * eg) };
}

describe('uniform prior', () => {
  it('defaults to the unit-variance box [−√3, √3] and exposes it as bounds', () => {
    const prior = createFromEntry(uniformPrior, {} as never, createStandaloneContext(2));
    expect(prior.bounds?.low).toBeCloseTo(-Math.sqrt(3), 12);
    expect(prior.bounds?.high).toBeCloseTo(Math.sqrt(3), 12);
    // variance of U[−a, a] is a²/3 = 1
    expect(((prior.bounds?.high ?? 0) ** 2) / 3).toBeCloseTo(1, 12);
    expect(uniformPrior.posteriors).toEqual(['squashed-gaussian']);
  });

  it('logProb is −K·log(high − low) inside the box and −∞ outside', () => {
    const r = createFromEntry(uniformPrior, { low: -2, high: 3 }, createStandaloneContext(3)).distribution();
    const lp = r.logProb(tf.tensor2d([[0, 2.9, -1.9], [0, 3.5, 0]]));
    const [inside, outside] = Array.from(lp.dataSync());
    expect(inside).toBeCloseTo(-3 * Math.log(5), 5);
    expect(outside).toBe(-Infinity);
    lp.dispose();
  });

  it('KL from the squashed posterior is finite, ≥ 0, matches quadrature, and falls as the posterior widens', () => {
    const prior = createFromEntry(uniformPrior, { low: -1, high: 1 }, createStandaloneContext(2));
    const logVars = [-4, -2, 0, 1];
    const mus = [0.3, -0.5];
    const mean = tf.tensor2d(logVars.map(() => mus));
    const logVar = tf.tensor2d(logVars.map((l) => [l, l]));
    const { low, high } = prior.bounds ?? { low: NaN, high: NaN };
    const samples = 4000;
    const kl = createKLRegistry().kl(new SquashedGaussian(mean, logVar, low, high), prior.distribution(), {
      samples,
      seed: 11,
    });
    expect(kl.exact).toBe(false);
    const perDim = kl.perDim?.arraySync() as number[][];
    const totals = Array.from(kl.total.dataSync());
    logVars.forEach((l, b) => {
      mus.forEach((m, k) => {
        const { kl: want, sdG } = squashedUniformKL(m, l);
        // the estimate averages g(u) over `samples` draws: 5 standard errors
        expect(Math.abs((perDim[b]?.[k] ?? NaN) - want)).toBeLessThan((5 * sdG) / Math.sqrt(samples));
      });
      expect(Number.isFinite(totals[b])).toBe(true);
      expect(totals[b]).toBeGreaterThanOrEqual(0);
    });
    for (let b = 1; b < totals.length; b++) expect(totals[b]).toBeLessThan(totals[b - 1] ?? NaN);
    tf.dispose([mean, logVar, kl.total, kl.perDim ?? []]);
  });

  it('KL does not depend on the box width (it cancels under the change of variables)', () => {
    const mean = tf.tensor2d([[0.2, -1]]);
    const logVar = tf.tensor2d([[-1, 0.5]]);
    const registry = createKLRegistry();
    const klFor = (low: number, high: number): number => {
      const prior = createFromEntry(uniformPrior, { low, high }, createStandaloneContext(2));
      const r = registry.kl(new SquashedGaussian(mean, logVar, low, high), prior.distribution(), { samples: 500, seed: 5 });
      const v = r.total.dataSync()[0] ?? NaN;
      tf.dispose([r.total, r.perDim ?? []]);
      return v;
    };
    expect(klFor(-5, 5)).toBeCloseTo(klFor(-1, 1), 4);
    tf.dispose([mean, logVar]);
  });

  it('a plain diagonal Gaussian posterior has infinite KL: InfiniteKLError', () => {
    const r = createFromEntry(uniformPrior, {}, createStandaloneContext(2)).distribution();
    const p = new DiagonalGaussian(tf.zeros([1, 2]), tf.fill([1, 2], -6));
    expect(() => createKLRegistry().kl(p, r)).toThrow(InfiniteKLError);
  });

  it('rejects low ≥ high, naming high', () => {
    expect(() => createFromEntry(uniformPrior, { low: 1, high: 1 }, createStandaloneContext(1))).toThrow(ConfigError);
    expect(() => createFromEntry(uniformPrior, { low: 2, high: 1 }, createStandaloneContext(1))).toThrow(/prior\.config\.high\b.*1/);
  });
});

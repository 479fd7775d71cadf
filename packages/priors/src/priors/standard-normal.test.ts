import { createFromEntry } from '../testing/create-from-entry.js';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, createKLRegistry, DiagonalGaussian, SquashedGaussian } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStandaloneContext } from '../config/standalone-context.js';
import { standardNormalPrior } from './standard-normal.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('standard-normal prior', () => {
  const prior = createFromEntry(standardNormalPrior, {}, createStandaloneContext(3));
  const r = prior.distribution();

  it('is a batch-1 N(0, I) over K dims, the same instance every call, with no weights', () => {
    expect([r.batchSize, r.eventSize]).toEqual([1, 3]);
    expect(prior.distribution()).toBe(r);
    expect(prior.bounds).toBeUndefined();
    const ctx = createStandaloneContext(3);
    createFromEntry(standardNormalPrior, {}, ctx);
    expect(ctx.weights.size).toBe(0);
  });

  it('logProb matches −½·Σ(z² + log 2π)', () => {
    const z = [0.3, -1.2, 2];
    const expected = -0.5 * z.reduce((s, v) => s + v * v + Math.log(2 * Math.PI), 0);
    const lp = r.logProb(tf.tensor2d([z]));
    expect(lp.dataSync()[0]).toBeCloseTo(expected, 5);
    lp.dispose();
  });

  it('KL to a diagonal Gaussian is exact and equals the seeds\' −½·Σ(1 + logσ² − μ² − σ²)', () => {
    const mu = [[0.5, -1, 0], [2, 0.1, -0.3]];
    const lv = [[0, -1, 0.7], [-2, 0.4, 0]];
    const kl = createKLRegistry().kl(new DiagonalGaussian(tf.tensor2d(mu), tf.tensor2d(lv)), r);
    expect(kl.exact).toBe(true);
    const got = kl.total.dataSync();
    mu.forEach((row, b) => {
      const seeds = -0.5 * row.reduce((s, m, k) => {
        const l = lv[b]?.[k] ?? NaN;
        return s + 1 + l - m * m - Math.exp(l);
      }, 0);
      expect(got[b]).toBeCloseTo(seeds, 5);
    });
    tf.dispose([kl.total, kl.perDim ?? []]);
  });

  it('lists its posteriors with the diagonal Gaussian first, and pairs with a squashed one', () => {
    expect(standardNormalPrior.posteriors).toEqual(['diagonal-gaussian', 'full-gaussian', 'squashed-gaussian']);
    const p = new SquashedGaussian(tf.zeros([1, 3]), tf.zeros([1, 3]), -1, 1);
    const kl = createKLRegistry().kl(p, r, { samples: 256, seed: 1 });
    const v = kl.total.dataSync()[0] ?? NaN;
    expect(Number.isFinite(v) && v > 0).toBe(true);
    tf.dispose([kl.total, kl.perDim ?? []]);
  });

  it('rejects unknown config keys with a ConfigError naming them', () => {
    expect(() => createFromEntry(standardNormalPrior, { mean: 1 } as never, createStandaloneContext(2))).toThrow(ConfigError);
    expect(() => createFromEntry(standardNormalPrior, { mean: 1 } as never, createStandaloneContext(2))).toThrow(/unknown key "mean"/);
  });
});

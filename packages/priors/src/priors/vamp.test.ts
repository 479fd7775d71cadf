import { createFromEntry } from '../testing/create-from-entry.js';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, createKLRegistry, DiagonalGaussian, type PriorEncoder } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStandaloneContext } from '../config/standalone-context.js';
import { vampPrior, type VampPrior } from './vamp.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// A linear encoder on inputs of shape [2,3] (flattened to 6): μ = x·A, log σ² = x·B − 1, K = 2.
const A = [[1, 0], [0, 1], [0.5, -0.5], [-1, 0.3], [0.2, 0.2], [0, -1]];
const B = [[0.3, 0], [0, -0.4], [0.1, 0.1], [0, 0.2], [-0.3, 0], [0.2, 0.5]];
const encoder: PriorEncoder = {
  inputShape: [2, 3],
  inputsInUnitInterval: true,
  posterior: (x) => {
    const flat = tf.reshape(x, [-1, 6]);
    return new DiagonalGaussian(tf.matMul(flat, tf.tensor2d(A)), tf.sub(tf.matMul(flat, tf.tensor2d(B)), 1));
  },
};

describe('vamp prior (Tomczak & Welling 2018)', () => {
  it('creates one trainable weight of the inputs\' shape per pseudo-input, the same for the same seed', () => {
    const a = createStandaloneContext(2, { encoder });
    createFromEntry(vampPrior, { components: 4, seed: 3 }, a);
    expect([...a.weights.entries()].map(([n, v]) => [n, v.shape, v.trainable])).toEqual([['pseudoInputs', [4, 2, 3], true]]);
    const b = createStandaloneContext(2, { encoder });
    createFromEntry(vampPrior, { components: 4, seed: 3 }, b);
    expect(Array.from(b.weights.get('pseudoInputs')!.dataSync())).toEqual(Array.from(a.weights.get('pseudoInputs')!.dataSync()));
    [a, b].forEach((c) => c.dispose());
  });

  it('with K = 1, KL(p(z|u₁) ‖ r) is exactly 0 (Monte Carlo, marked inexact)', () => {
    const ctx = createStandaloneContext(2, { encoder });
    const prior = createFromEntry(vampPrior, { components: 1 }, ctx) as VampPrior;
    const u = prior.pseudoInputs();
    const kl = createKLRegistry().kl(encoder.posterior(u), prior.distribution(), { samples: 64, seed: 9 });
    expect(kl.exact).toBe(false);
    expect(Array.from(kl.total.dataSync())).toEqual([0]);
    // another input's posterior is a different Gaussian: its KL is positive
    const other = createKLRegistry().kl(encoder.posterior(tf.sub(1, u)), prior.distribution(), { samples: 64, seed: 9 });
    expect(other.total.dataSync()[0]).toBeGreaterThan(0.01);
    ctx.dispose();
  });

  it('log r(z) is the log-mean-exp of the K component densities, computed by hand', () => {
    const ctx = createStandaloneContext(2, { encoder });
    const prior = createFromEntry(vampPrior, { components: 3, seed: 1 }, ctx) as VampPrior;
    const raw = Array.from(ctx.weights.get('pseudoInputs')!.dataSync());
    const u = raw.map((v) => 1 / (1 + Math.exp(-v))); // pixels in [0, 1] through a sigmoid
    expect(Array.from(prior.pseudoInputs().dataSync()).every((v, i) => Math.abs(v - (u[i] ?? NaN)) < 1e-6)).toBe(true);
    const comps = [0, 1, 2].map((k) => {
      const x = u.slice(6 * k, 6 * k + 6);
      const lin = (W: number[][], j: number) => x.reduce((s, v, i) => s + v * (W[i]?.[j] ?? NaN), 0);
      return { mean: [lin(A, 0), lin(A, 1)], logVar: [lin(B, 0) - 1, lin(B, 1) - 1] };
    });
    const zs = [[0, 0], [0.7, -1.2], [-2, 3]];
    const expected = zs.map((z) => {
      const logs = comps.map((c) => z.reduce((s, v, d) => s - 0.5 * (Math.log(2 * Math.PI) + (c.logVar[d] ?? NaN) + (v - (c.mean[d] ?? NaN)) ** 2 / Math.exp(c.logVar[d] ?? NaN)), 0));
      const m = Math.max(...logs);
      return m + Math.log(logs.reduce((s, l) => s + Math.exp(l - m), 0) / 3);
    });
    const got = Array.from(prior.distribution().logProb(tf.tensor3d(zs.map((z) => [z]))).dataSync());
    got.forEach((g, i) => expect(g).toBeCloseTo(expected[i] ?? NaN, 4));
    ctx.dispose();
  });

  it('refuses a context without an encoder, saying where to get one', () => {
    expect(() => createFromEntry(vampPrior, {}, createStandaloneContext(2))).toThrow(ConfigError);
    expect(() => createFromEntry(vampPrior, {}, createStandaloneContext(2))).toThrow(/needs the model's encoder/);
  });
});

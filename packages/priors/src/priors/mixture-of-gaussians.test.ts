import { createFromEntry } from '../testing/create-from-entry.js';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, createKLRegistry, DiagonalGaussian } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStandaloneContext, type StandaloneContext } from '../config/standalone-context.js';
import { mixtureOfGaussiansPrior } from './mixture-of-gaussians.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const values = (ctx: StandaloneContext, name: string): number[] => Array.from(ctx.weights.get(name)?.dataSync() ?? []);

/** log Σ_m π_m Π_k N(z_k; μ_mk, σ²_mk), directly. */
function mixtureLogProb(z: number[], logits: number[], means: number[][], logVars: number[][]): number {
  const mx = Math.max(...logits);
  const lse = mx + Math.log(logits.reduce((s, l) => s + Math.exp(l - mx), 0));
  const terms = logits.map((l, m) =>
    z.reduce((s, v, k) => {
      const lv = logVars[m]?.[k] ?? NaN;
      return s - 0.5 * (Math.log(2 * Math.PI) + lv + ((v - (means[m]?.[k] ?? NaN)) ** 2) / Math.exp(lv));
    }, l - lse),
  );
  const t = Math.max(...terms);
  return t + Math.log(terms.reduce((s, v) => s + Math.exp(v - t), 0));
}

describe('mixture-of-gaussians prior', () => {
  it('creates trainable logits [M], means [M,K], logVars [M,K]; means differ and depend only on the seed', () => {
    const a = createStandaloneContext(3);
    createFromEntry(mixtureOfGaussiansPrior, { components: 4, spread: 2, initLogVar: -1, seed: 7 }, a);
    expect([...a.weights.entries()].map(([n, v]) => [n, v.shape, v.trainable])).toEqual([
      ['logits', [4], true],
      ['means', [4, 3], true],
      ['logVars', [4, 3], true],
    ]);
    expect(values(a, 'logits')).toEqual([0, 0, 0, 0]);
    expect(values(a, 'logVars').every((v) => v === -1)).toBe(true);
    const means = values(a, 'means');
    const rows = [0, 1, 2, 3].map((m) => means.slice(3 * m, 3 * m + 3).join(','));
    expect(new Set(rows).size).toBe(4);
    const b = createStandaloneContext(3);
    createFromEntry(mixtureOfGaussiansPrior, { components: 4, spread: 2, initLogVar: -1, seed: 7 }, b);
    expect(values(b, 'means')).toEqual(means);
    const c = createStandaloneContext(3);
    createFromEntry(mixtureOfGaussiansPrior, { components: 4, spread: 2, initLogVar: -1, seed: 8 }, c);
    expect(values(c, 'means')).not.toEqual(means);
    [a, b, c].forEach((x) => x.dispose());
  });

  it('logProb matches log Σ π_m N(z; μ_m, σ_m²) for the current weights', () => {
    const ctx = createStandaloneContext(2);
    const prior = createFromEntry(mixtureOfGaussiansPrior, { components: 3 } as never, ctx);
    const logits = [0.2, -1, 0.5];
    const means = [[0, 1], [2, -1], [-1.5, 0.3]];
    const logVars = [[0, -0.5], [0.3, 0], [-1, 0.2]];
    ctx.weights.get('logits')?.assign(tf.tensor1d(logits));
    ctx.weights.get('means')?.assign(tf.tensor2d(means));
    ctx.weights.get('logVars')?.assign(tf.tensor2d(logVars));
    const zs = [[0.1, 0.2], [2.5, -0.8], [-3, 3]];
    const lp = prior.distribution().logProb(tf.tensor3d(zs.map((z) => [z])));
    const got = Array.from(lp.dataSync());
    zs.forEach((z, i) => expect(got[i]).toBeCloseTo(mixtureLogProb(z, logits, means, logVars), 4));
    lp.dispose();
    ctx.dispose();
  });

  it('KL from a diagonal Gaussian posterior matches 1-D quadrature within 5 standard errors', () => {
    const ctx = createStandaloneContext(1);
    const prior = createFromEntry(mixtureOfGaussiansPrior, { components: 3, spread: 2, seed: 1 }, ctx);
    const logits = values(ctx, 'logits');
    const means = values(ctx, 'means').map((m) => [m]);
    const logVars = values(ctx, 'logVars').map((l) => [l]);
    const [mu, lv] = [0.4, -0.6];
    const samples = 4000;
    const kl = createKLRegistry().kl(new DiagonalGaussian(tf.tensor2d([[mu]]), tf.tensor2d([[lv]])), prior.distribution(), {
      samples,
      seed: 2,
    });
    expect(kl.exact).toBe(false);
    // quadrature of E_p[log p − log r] and of its variance
    const s = Math.exp(0.5 * lv);
    const n = 20_000;
    const h = (24 * s) / n;
    let [m1, m2] = [0, 0];
    for (let i = 0; i <= n; i++) {
      const z = mu - 12 * s + i * h;
      const w = (i === 0 || i === n ? 0.5 : 1) * h;
      const logP = -0.5 * (Math.log(2 * Math.PI) + lv + ((z - mu) / s) ** 2);
      const f = logP - mixtureLogProb([z], logits, means, logVars);
      m1 += w * Math.exp(logP) * f;
      m2 += w * Math.exp(logP) * f * f;
    }
    const got = kl.total.dataSync()[0] ?? NaN;
    expect(Number.isFinite(got)).toBe(true);
    expect(Math.abs(got - m1)).toBeLessThan((5 * Math.sqrt(m2 - m1 * m1)) / Math.sqrt(samples));
    tf.dispose([kl.total, kl.perDim ?? []]);
    ctx.dispose();
  });

  it('gradients of the KL reach logits, means and logVars, and agree with finite differences', () => {
    const ctx = createStandaloneContext(2);
    const prior = createFromEntry(mixtureOfGaussiansPrior, { components: 2, spread: 1.5, seed: 4 }, ctx);
    ctx.weights.get('logits')?.assign(tf.tensor1d([0.3, -0.2]));
    const registry = createKLRegistry();
    const post = new DiagonalGaussian(tf.tensor2d([[0.5, -0.5], [1, 0]]), tf.tensor2d([[-1, 0], [0.2, -0.3]]));
    // a fixed seed makes the estimate a deterministic, smooth function of the prior's weights
    const klOf = (): tf.Scalar => {
      const r = registry.kl(post, prior.distribution(), { samples: 512, seed: 9 });
      return tf.mean(r.total) as tf.Scalar;
    };
    const vars = [...ctx.weights.values()];
    const { value, grads } = tf.variableGrads(klOf, vars);
    for (const v of vars) {
      const g = Array.from(grads[v.name]?.dataSync() ?? []);
      expect(g).toHaveLength(v.size);
      expect(g.every(Number.isFinite)).toBe(true);
      expect(g.some((x) => Math.abs(x) > 1e-3)).toBe(true);
    }
    // central difference on means[0, 0]
    const means = ctx.weights.get('means');
    const base = Array.from(means?.dataSync() ?? []);
    const eps = 1e-2;
    const at = (delta: number): number => {
      means?.assign(tf.tensor2d([[(base[0] ?? 0) + delta, ...base.slice(1, 2)], base.slice(2, 4)]));
      const t = klOf();
      const v = t.dataSync()[0] ?? NaN;
      t.dispose();
      return v;
    };
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    expect(grads[means?.name ?? '']?.dataSync()[0]).toBeCloseTo(fd, 2);
    tf.dispose([value, ...Object.values(grads)]);
    ctx.dispose();
  });

  it('rejects a zero spread and a fractional component count, naming the field', () => {
    expect(() => createFromEntry(mixtureOfGaussiansPrior, { spread: 0 } as never, createStandaloneContext(1))).toThrow(ConfigError);
    expect(() => createFromEntry(mixtureOfGaussiansPrior, { spread: 0 } as never, createStandaloneContext(1))).toThrow(/prior\.config\.spread\b/);
    expect(() => createFromEntry(mixtureOfGaussiansPrior, { components: 2.5 } as never, createStandaloneContext(1))).toThrow(
      /prior\.config\.components\b.*2\.5/,
    );
  });
});

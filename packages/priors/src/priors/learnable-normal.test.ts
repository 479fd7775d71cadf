import { createFromEntry } from '../testing/create-from-entry.js';
import * as tf from '@tensorflow/tfjs';
import { createKLRegistry, DiagonalGaussian } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStandaloneContext } from '../config/standalone-context.js';
import { learnableNormalPrior } from './learnable-normal.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('learnable-normal prior', () => {
  it('creates trainable mean and logVar weights [1,K] through addWeight, from the config', () => {
    const ctx = createStandaloneContext(4);
    createFromEntry(learnableNormalPrior, { initMean: 0.5, initLogVar: -1 }, ctx);
    expect([...ctx.weights.keys()]).toEqual(['mean', 'logVar']);
    for (const [name, v] of ctx.weights) {
      expect(v.shape).toEqual([1, 4]);
      expect(v.trainable).toBe(true);
      expect(Array.from(v.dataSync())).toEqual(new Array(4).fill(name === 'mean' ? 0.5 : -1));
    }
    ctx.dispose();
  });

  it('logProb follows the current weights: −½·Σ(log 2π + logσ² + (z − μ)²/σ²)', () => {
    const ctx = createStandaloneContext(2);
    const prior = createFromEntry(learnableNormalPrior, {}, ctx);
    ctx.weights.get('mean')?.assign(tf.tensor2d([[1, -2]]));
    ctx.weights.get('logVar')?.assign(tf.tensor2d([[0.5, -0.3]]));
    const z = [0.2, -1];
    const mu = [1, -2];
    const lv = [0.5, -0.3];
    const expected = -0.5 * z.reduce((s, v, k) => {
      const l = lv[k] ?? NaN;
      return s + Math.log(2 * Math.PI) + l + ((v - (mu[k] ?? NaN)) ** 2) / Math.exp(l);
    }, 0);
    const lp = prior.distribution().logProb(tf.tensor2d([z]));
    expect(lp.dataSync()[0]).toBeCloseTo(expected, 5);
    lp.dispose();
    ctx.dispose();
  });

  it('KL from a diagonal Gaussian posterior is exact, and its gradients reach μ and log σ² as the closed form says', () => {
    const ctx = createStandaloneContext(2);
    const prior = createFromEntry(learnableNormalPrior, { initMean: 0.3, initLogVar: 0.4 }, ctx);
    const registry = createKLRegistry();
    const m1 = [1, -0.5];
    const lv1 = [-0.2, 0.6];
    const post = new DiagonalGaussian(tf.tensor2d([m1]), tf.tensor2d([lv1]));
    const klOf = (): tf.Scalar => {
      const kl = registry.kl(post, prior.distribution());
      expect(kl.exact).toBe(true);
      return tf.sum(kl.total) as tf.Scalar;
    };
    const { value, grads } = tf.variableGrads(klOf, [...ctx.weights.values()]);
    // KL(N(m1,s1²) ‖ N(m2,s2²)) = ½(log s2²/s1² + (s1² + (m1 − m2)²)/s2² − 1) per dimension;
    // ∂/∂m2 = (m2 − m1)/s2²;  ∂/∂log s2² = ½(1 − (s1² + (m1 − m2)²)/s2²).
    const [m2, lv2] = [0.3, 0.4];
    let expectedKL = 0;
    const dMean: number[] = [];
    const dLogVar: number[] = [];
    m1.forEach((m, k) => {
      const s1 = Math.exp(lv1[k] ?? NaN);
      const s2 = Math.exp(lv2);
      const q = (s1 + (m - m2) ** 2) / s2;
      expectedKL += 0.5 * (lv2 - (lv1[k] ?? NaN) + q - 1);
      dMean.push((m2 - m) / s2);
      dLogVar.push(0.5 * (1 - q));
    });
    expect(value.dataSync()[0]).toBeCloseTo(expectedKL, 5);
    const ids = [...ctx.weights.values()].map((v) => v.name);
    const gMean = Array.from(grads[ids[0] ?? '']?.dataSync() ?? []);
    const gLogVar = Array.from(grads[ids[1] ?? '']?.dataSync() ?? []);
    gMean.forEach((g, k) => expect(g).toBeCloseTo(dMean[k] ?? NaN, 5));
    gLogVar.forEach((g, k) => expect(g).toBeCloseTo(dLogVar[k] ?? NaN, 5));
    expect(gMean).toHaveLength(2);
    tf.dispose([value, ...Object.values(grads)]);
    ctx.dispose();
  });

  it('rejects a non-numeric initMean, naming the field', () => {
    expect(() => createFromEntry(learnableNormalPrior, { initMean: 'x' } as never, createStandaloneContext(1))).toThrow(
      /prior\.config\.initMean\b.*"x"/,
    );
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AttackLoss } from '../plugins/attack-plugin.js';
import { fgsmAttack } from './fgsm.js';
import { pgdAttack, pgdConfigSchema, pgdL2Attack } from './pgd.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// logistic regression: loss_b = softplus(−s_b (w·x_b + c)), labels s_b ∈ {−1, +1}
const w = [0.5, -2, 1.5, 0.25];
const c = 0.1;
const x0 = [
  [0.2, 0.4, 0.6, 0.8],
  [0.9, 0.1, 0.3, 0.5],
  [0.5, 0.5, 0.5, 0.5],
];
const s = [1, -1, 1];
const margin = (x: number[], i: number) => s[i]! * (x.reduce((a, v, j) => a + v * w[j]!, 0) + c);
const softplus = (v: number) => Math.log1p(Math.exp(v));
const logisticLoss: AttackLoss = (x) =>
  tf.softplus(tf.neg(tf.mul(tf.tensor1d(s), tf.add(tf.squeeze(tf.matMul(x, tf.tensor2d(w, [4, 1])), [1]), c))));
const l1 = w.reduce((a, v) => a + Math.abs(v), 0);
const l2 = Math.sqrt(w.reduce((a, v) => a + v * v, 0));

// a small fixed tanh network for the nonlinear comparisons
const w1 = tf.randomNormal([4, 8], 0, 1, 'float32', 11);
const w2 = tf.randomNormal([8, 1], 0, 1, 'float32', 12);
const mlpLoss: AttackLoss = (x) => tf.softplus(tf.neg(tf.mul(tf.tensor1d(s), tf.squeeze(tf.matMul(tf.tanh(tf.matMul(x, w1)), w2), [1]))));
const meanLoss = (loss: AttackLoss, x: tf.Tensor) => tf.tidy(() => tf.mean(loss(x)).arraySync() as number);

const attacks = [fgsmAttack.create({}), pgdAttack.create(pgdConfigSchema.parse({})), pgdL2Attack.create(pgdConfigSchema.parse({}))];

describe('attacks', () => {
  it('ε = 0 returns the inputs unchanged (every attack)', () => {
    const x = tf.tensor2d(x0);
    for (const a of attacks) expect(a.perturb(logisticLoss, x, { epsilon: 0 }).arraySync()).toEqual(x.arraySync());
  });

  it('FGSM on a logistic model moves each input by −s·ε·sign(w) and lowers the margin by ε‖w‖₁ (closed form)', () => {
    const eps = 0.05;
    const adv = fgsmAttack.create({}).perturb(logisticLoss, tf.tensor2d(x0), { epsilon: eps }).arraySync() as number[][];
    adv.forEach((row, i) => {
      row.forEach((v, j) => expect(v - x0[i]![j]!).toBeCloseTo(-s[i]! * eps * Math.sign(w[j]!), 6));
      expect(margin(row, i)).toBeCloseTo(margin(x0[i]!, i) - eps * l1, 5);
    });
    const expected = x0.map((x, i) => softplus(-(margin(x, i) - eps * l1))).reduce((a, v) => a + v, 0) / x0.length;
    expect(meanLoss(logisticLoss, tf.tensor2d(adv))).toBeCloseTo(expected, 5);
  });

  it('L2 PGD on a logistic model reaches the closed-form optimum: margin lowered by ε‖w‖₂, ‖δ‖₂ = ε', () => {
    const eps = 0.3;
    const adv = pgdL2Attack.create(pgdConfigSchema.parse({})).perturb(logisticLoss, tf.tensor2d(x0), { epsilon: eps }).arraySync() as number[][];
    adv.forEach((row, i) => {
      const norm = Math.sqrt(row.reduce((a, v, j) => a + (v - x0[i]![j]!) ** 2, 0));
      expect(norm).toBeCloseTo(eps, 5);
      expect(margin(row, i)).toBeCloseTo(margin(x0[i]!, i) - eps * l2, 4);
    });
  });

  it('PGD is at least as strong as FGSM on a nonlinear model, and every attack stays in its ball and the bounds', () => {
    const x = tf.tensor2d(x0);
    const eps = 0.3;
    const opts = { epsilon: eps, bounds: [0, 1] as const };
    const fgsm = fgsmAttack.create({}).perturb(mlpLoss, x, opts);
    const pgd = pgdAttack.create(pgdConfigSchema.parse({ steps: 20 })).perturb(mlpLoss, x, opts);
    expect(meanLoss(mlpLoss, pgd)).toBeGreaterThanOrEqual(meanLoss(mlpLoss, fgsm) - 1e-6);
    expect(meanLoss(mlpLoss, fgsm)).toBeGreaterThan(meanLoss(mlpLoss, x));
    for (const adv of [fgsm, pgd]) {
      const d = tf.sub(adv, x);
      expect(tf.max(tf.abs(d)).arraySync() as number).toBeLessThanOrEqual(eps + 1e-6);
      expect(tf.min(adv).arraySync() as number).toBeGreaterThanOrEqual(0);
      expect(tf.max(adv).arraySync() as number).toBeLessThanOrEqual(1);
    }
    const l2adv = pgdL2Attack.create(pgdConfigSchema.parse({ randomStart: true })).perturb(mlpLoss, x, { epsilon: eps, seed: 3 });
    const norms = tf.sqrt(tf.sum(tf.square(tf.sub(l2adv, x)), 1)).arraySync() as number[];
    for (const n of norms) expect(n).toBeLessThanOrEqual(eps * (1 + 1e-5));
  });

  it('a negative ε is refused with the value named', () => {
    expect(() => fgsmAttack.create({}).perturb(logisticLoss, tf.tensor2d(x0), { epsilon: -0.1 })).toThrow(/epsilon .* got -0.1/);
  });
});

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { bernoulliNllRows } from './bernoulli-nll.js';
import { emaUpdate } from './ema-update.js';
import { FUSED_KERNELS, hasFusedKernel } from './fused-op.js';
import { reparameterize } from './reparameterize.js';
import { softmaxCrossEntropyRows } from './softmax-cross-entropy.js';
import { SOFTPLUS_SCALE, softplusLogVar } from './softplus-log-var.js';
import { stdNormalKLPerDim } from './std-normal-kl.js';

const read = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const near = (got: number[], want: number[]): void => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 5));

// Without a fused kernel (tfjs's cpu backend) the ops are the stock compositions: their values and gradients are the closed forms.
describe('fused ops, stock composition (cpu)', () => {
  it('no fused kernel is registered on cpu', () => {
    tf.setBackend('cpu');
    for (const name of Object.values(FUSED_KERNELS)) expect(hasFusedKernel(name, [])).toBe(false);
  });

  it('KL(N(μ, σ²) ‖ N(0, 1)) = ½(σ² + μ² − 1 − log σ²) per dimension, with gradients μ and ½(σ² − 1)', () => {
    tf.setBackend('cpu');
    const mu = tf.tensor2d([[1, -2], [0, 0.5]]);
    const lv = tf.tensor2d([[0, Math.log(4)], [-1, 2]]);
    const want = [[1, 0], [-2, Math.log(4)], [0, -1], [0.5, 2]].map(([m, v]) => 0.5 * (Math.exp(v!) + m! * m! - 1 - v!));
    near(read(stdNormalKLPerDim(mu, lv)), want);
    const [gm, gv] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(stdNormalKLPerDim(a, b)))([mu, lv]);
    near(read(gm!), read(mu));
    near(read(gv!), read(lv).map((v) => 0.5 * (Math.exp(v) - 1)));
  });

  it('z = μ + e^(½ log σ²)·ε, with d/d log σ² = ½·ε·σ', () => {
    tf.setBackend('cpu');
    const [mu, lv, eps] = [tf.tensor2d([[1, -1]]), tf.tensor2d([[Math.log(9), 0]]), tf.tensor2d([[2, -0.5]])];
    near(read(reparameterize(mu, lv, eps)), [1 + 3 * 2, -1 - 0.5]);
    const [, gv] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(reparameterize(a, b, eps)))([mu, lv]);
    near(read(gv!), [0.5 * 2 * 3, 0.5 * -0.5 * 1]);
  });

  it('softmax cross-entropy of equal logits over C classes is log C; gradient softmax − one-hot', () => {
    tf.setBackend('cpu');
    const logits = tf.zeros([2, 4]);
    const labels = tf.tensor2d([[1, 0, 0, 0], [0, 0, 0, 1]]);
    near(read(softmaxCrossEntropyRows(logits, labels)), [Math.log(4), Math.log(4)]);
    const [g] = tf.grads((x: tf.Tensor) => tf.sum(softmaxCrossEntropyRows(x, labels)))([logits]);
    near(read(g!), [-0.75, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, -0.75]);
  });

  it('Bernoulli −log p(x|z) of logit 0 is log 2 per pixel; gradient sigmoid − x', () => {
    tf.setBackend('cpu');
    const logits = tf.tensor2d([[0, 0, Math.log(3)]]);
    const x = tf.tensor2d([[1, 0, 1]]);
    near(read(bernoulliNllRows(logits, x)), [2 * Math.log(2) + Math.log(4 / 3)]);
    const [g] = tf.grads((a: tf.Tensor) => tf.sum(bernoulliNllRows(a, x)))([logits]);
    near(read(g!), [-0.5, 0.5, -0.25]);
  });

  it('the softplus scale: σ = softplus(raw − 5) + 1e-6 gives log σ² = 2·log σ, with d/d raw = 2·sigmoid(raw − 5)/σ', () => {
    tf.setBackend('cpu');
    expect(SOFTPLUS_SCALE).toEqual({ shift: 5, floor: 1e-6 });
    // raw = 5: σ = log 2 (+ the floor); raw = −100: σ at its floor 1e-6; raw = 105: σ = 100 (softplus linear there)
    const raw = tf.tensor1d([5, -100, 105, 5 + Math.log(Math.E - 1)]);
    const sigma = [Math.log(2) + 1e-6, 1e-6, 100 + 1e-6, 1 + 1e-6];
    const got = read(softplusLogVar(raw));
    sigma.forEach((s, i) => expect(got[i]).toBeCloseTo(2 * Math.log(s), 5));
    const [g] = tf.grads((r: tf.Tensor) => tf.sum(softplusLogVar(r)))([raw]);
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    const want = [0, -105, 100, Math.log(Math.E - 1)].map((x, i) => (2 * sig(x)) / sigma[i]!);
    // 2·sigmoid(0)/log 2 = 1/log 2; at the floor e^−105/1e-6 ≈ 0; linear: 2/100; at σ = 1: 2·(1 − 1/e)
    near(read(g!), want);
    expect(want[0]).toBeCloseTo(1 / Math.log(2), 5);
    expect(want[3]).toBeCloseTo(2 * (1 - 1 / Math.E), 5);
  });
});

describe('emaUpdate (stock composition)', () => {
  it('is d·average + (1 − d)·value, bitwise as the two products and their sum in float32', () => {
    tf.setBackend('cpu');
    const [a, v] = [tf.tensor1d([1, -2, 0.1, 1e30]), tf.tensor1d([3, 4, 0.7, -1e30])];
    const d = 0.999;
    const f = Math.fround;
    const want = [1, -2, 0.1, 1e30].map((x, i) => f(f(f(x) * f(d)) + f(f([3, 4, 0.7, -1e30][i]!) * f(1 - d))));
    expect(read(emaUpdate(a, v, d))).toEqual(want);
  });
});

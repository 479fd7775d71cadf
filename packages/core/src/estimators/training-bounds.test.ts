import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../errors/data-error.js';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import { StandardNormal } from '../distributions/standard-normal.js';
import { createKLRegistry } from '../kl/kl-registry.js';
import { izyLowerBound } from './izy-lower-bound.js';
import { labelEntropy } from './label-entropy.js';
import { vibRate, vibRateNats } from './vib-rate.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('vibRate', () => {
  it('is the batch mean of the closed-form KL(N(μ, σ²) ‖ N(0, I)) = ½Σ(μ² + σ² − 1 − log σ²)', () => {
    const mu = [[0.5, -1], [2, 0.1], [0, 0]];
    const lv = [[0, -1], [0.7, 0.2], [0, 0]];
    const registry = createKLRegistry();
    const p = new DiagonalGaussian(tf.tensor2d(mu), tf.tensor2d(lv));
    const { total } = registry.kl(p, new StandardNormal(2));
    let want = 0;
    for (let b = 0; b < 3; b++) {
      for (let k = 0; k < 2; k++) want += 0.5 * (mu[b]![k]! ** 2 + Math.exp(lv[b]![k]!) - 1 - lv[b]![k]!);
    }
    want /= 3;
    expect(vibRateNats(total).dataSync()[0]).toBeCloseTo(want, 5);
    const r = vibRate(total);
    expect(r.nats).toBeCloseTo(want, 5);
    expect(r.bits).toBeCloseTo(want / Math.LN2, 5);
  });

  it('upper-bounds I(X;Z) of a Gaussian channel, tightly when r(z) is the true marginal', () => {
    // X ~ N(0,1), Z|X ~ N(aX, s²): I(X;Z) = ½ log(1 + a²/s²); with r = N(0,1) the expected rate is
    // ½(a² + s² − 1 − log s²); with r = p(z) = N(0, a² + s²) it equals I exactly (in expectation).
    const a = 2;
    const s2 = 0.5;
    const n = 20000;
    const x = tf.randomNormal([n], 0, 1, 'float32', 3).dataSync();
    const v = a * a + s2;
    const klStd = new Float64Array(n);
    const klMarg = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const m = a * x[i]!;
      klStd[i] = 0.5 * (m * m + s2 - 1 - Math.log(s2));
      klMarg[i] = 0.5 * ((m * m + s2) / v - 1 - Math.log(s2 / v));
    }
    const I = 0.5 * Math.log(1 + (a * a) / s2);
    // the rate's sampling error: sd of KL_i is a²·sd(x²)/(2v) = a²·√2/(2v) ≈ 0.63 nats; 5σ/√n ≈ 0.022
    const tol = (5 * (a * a * Math.SQRT2) / (2 * v)) / Math.sqrt(n);
    expect(Math.abs(vibRate(klMarg).nats - I)).toBeLessThan(tol);
    expect(vibRate(klStd).nats).toBeGreaterThan(I + 0.5); // expected gap KL(p(z) ‖ r) = 0.90 nats
  });

  it('rejects negative, non-finite or empty KLs', () => {
    expect(() => vibRate([0.1, -0.5])).toThrow(DataError);
    expect(() => vibRate([Number.NaN])).toThrow(/finite/);
    expect(() => vibRate([])).toThrow(/at least one/);
  });

  it('passes gradients through vibRateNats', () => {
    const g = tf.grad((k: tf.Tensor) => vibRateNats(k))(tf.tensor1d([1, 2, 3, 4]));
    expect(Array.from(g.dataSync())).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe('labelEntropy and izyLowerBound', () => {
  it('H(Y) of balanced and skewed labels', () => {
    expect(labelEntropy([0, 1, 2, 3, 0, 1, 2, 3], 4).bits).toBeCloseTo(2, 12);
    const skewed = labelEntropy([0, 0, 0, 1], 2).nats;
    expect(skewed).toBeCloseTo(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 12);
    expect(labelEntropy([1, 1, 1], 3).nats).toBe(0);
    expect(() => labelEntropy([0, 3], 3)).toThrow(DataError);
  });

  it('a perfect classifier reaches H(Y); a uniform one gives H(Y) − log C (0 for balanced labels)', () => {
    const labels = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4];
    const hy = labelEntropy(labels, 5).nats;
    expect(izyLowerBound({ crossEntropyNats: 0, labelEntropyNats: hy }).nats).toBeCloseTo(Math.log(5), 12);
    expect(izyLowerBound({ crossEntropyNats: Math.log(5), labelEntropyNats: hy }).nats).toBeCloseTo(0, 12);
    // the marginal classifier q(y|z) = p(y) on skewed labels also has CE = H(Y), bound 0;
    // the uniform one has CE = log C > H(Y): the bound goes negative and is reported so
    const skewed = [0, 0, 0, 1];
    const hs = labelEntropy(skewed, 2).nats;
    expect(izyLowerBound({ crossEntropyNats: Math.log(2), labelEntropyNats: hs }).nats).toBeCloseTo(hs - Math.log(2), 12);
    expect(izyLowerBound({ crossEntropyNats: 0, labelEntropyNats: hs }).bits).toBeCloseTo(hs / Math.LN2, 12);
  });

  it('rejects negative or non-finite inputs', () => {
    expect(() => izyLowerBound({ crossEntropyNats: -1, labelEntropyNats: 1 })).toThrow(/crossEntropyNats/);
    expect(() => izyLowerBound({ crossEntropyNats: 1, labelEntropyNats: Infinity })).toThrow(DataError);
  });
});

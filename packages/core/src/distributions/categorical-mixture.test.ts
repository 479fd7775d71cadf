import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../errors/shape-error.js';
import { Categorical } from './categorical.js';
import { MixtureOfDiagonalGaussians } from './mixture-of-diagonal-gaussians.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('Categorical', () => {
  const logits = [[0, Math.log(2), Math.log(5)], [1, 1, 1]];
  const c = (): Categorical => new Categorical(tf.tensor2d(logits));

  it('logProb of int32 indices and of one-hot floats both equal log softmax', () => {
    const byIndex = arr(c().logProb(tf.tensor1d([2, 0], 'int32')));
    const byOneHot = arr(c().logProb(tf.tensor2d([[0, 0, 1], [1, 0, 0]])));
    expect(byIndex[0]).toBeCloseTo(Math.log(5 / 8), 5);
    expect(byIndex[1]).toBeCloseTo(Math.log(1 / 3), 5);
    expect(byOneHot).toEqual(byIndex);
  });

  it('entropy is −Σ π log π', () => {
    const pi = [1 / 8, 2 / 8, 5 / 8];
    const h = -pi.reduce((a, p) => a + p * Math.log(p), 0);
    const got = arr(c().entropy());
    expect(got[0]).toBeCloseTo(h, 5);
    expect(got[1]).toBeCloseTo(Math.log(3), 5);
  });

  it('one-hot samples have class frequencies π (within 5 binomial standard errors)', () => {
    const n = 10000;
    const z = c().sample(n, 3);
    expect(z.shape).toEqual([n, 2, 3]);
    expect(arr(tf.sum(z, -1)).every((s) => s === 1)).toBe(true);
    const freq = arr(tf.mean(z, 0));
    const pi = [1 / 8, 2 / 8, 5 / 8, 1 / 3, 1 / 3, 1 / 3];
    freq.forEach((f, i) => expect(Math.abs(f - pi[i]!)).toBeLessThan(5 * Math.sqrt((pi[i]! * (1 - pi[i]!)) / n)));
  });

  it('throws ShapeError for one-hot input of the wrong width', () => {
    expect(() => c().logProb(tf.zeros([2, 4]))).toThrow(ShapeError);
  });
});

describe('MixtureOfDiagonalGaussians', () => {
  const logits = [0, Math.log(3)];
  const means = [[-2, 0], [1, 1]];
  const logVars = [[0, Math.log(0.5)], [Math.log(2), 0]];
  const mix = (): MixtureOfDiagonalGaussians =>
    new MixtureOfDiagonalGaussians(tf.tensor1d(logits), tf.tensor2d(means), tf.tensor2d(logVars));

  it('logProb equals log Σ_m π_m N(z; μ_m, σ_m²) computed directly', () => {
    const z = [0.3, -0.7];
    const pi = [0.25, 0.75];
    let dens = 0;
    for (let m = 0; m < 2; m++) {
      let lp = Math.log(pi[m]!);
      for (let k = 0; k < 2; k++) {
        const v = Math.exp(logVars[m]![k]!);
        lp += -0.5 * (Math.log(2 * Math.PI * v) + (z[k]! - means[m]![k]!) ** 2 / v);
      }
      dens += Math.exp(lp);
    }
    expect(arr(mix().logProb(tf.tensor2d([z])))[0]).toBeCloseTo(Math.log(dens), 4);
    expect(mix().logProb(tf.zeros([5, 3, 2])).shape).toEqual([5, 3]);
  });

  it('samples have the mixture mean Σπμ and variance Σπ(σ² + μ²) − mean² (within 5 standard errors)', () => {
    const n = 20000;
    const z = mix().sample(n, 8);
    expect(z.shape).toEqual([n, 1, 2]);
    const { mean, variance } = tf.moments(z, 0);
    const m = arr(mean);
    const v = arr(variance);
    const pi = [0.25, 0.75];
    const mm = arr(mix().mean());
    for (let k = 0; k < 2; k++) {
      const mu = pi[0]! * means[0]![k]! + pi[1]! * means[1]![k]!;
      const second = pi.reduce((a, p, c) => a + p * (Math.exp(logVars[c]![k]!) + means[c]![k]! ** 2), 0);
      const varK = second - mu * mu;
      expect(mm[k]).toBeCloseTo(mu, 5);
      expect(Math.abs(m[k]! - mu)).toBeLessThan((5 * Math.sqrt(varK)) / Math.sqrt(n));
      // sd of the sample variance is √((μ₄ − σ⁴)/n); for a Gaussian mixture
      // μ₄ = Σ_m π_m (d⁴ + 6d²s² + 3s⁴) with d = μ_m − mean, s² = σ_m²
      const mu4 = pi.reduce((a, p, c) => {
        const d = means[c]![k]! - mu;
        const s2 = Math.exp(logVars[c]![k]!);
        return a + p * (d ** 4 + 6 * d * d * s2 + 3 * s2 * s2);
      }, 0);
      expect(Math.abs(v[k]! - varK)).toBeLessThan(5 * Math.sqrt((mu4 - varK * varK) / n));
    }
  });

  it('gradients of samples reach the component means and logVars', () => {
    const [gm, gv] = tf.grads((m: tf.Tensor, v: tf.Tensor) =>
      tf.sum(tf.square(new MixtureOfDiagonalGaussians(tf.tensor1d(logits), m, v).sample(64, 1))),
    )([tf.tensor2d(means), tf.tensor2d(logVars)]);
    expect(arr(gm!).every((g) => g !== 0)).toBe(true);
    expect(arr(gv!).every((g) => g !== 0)).toBe(true);
  });

  it('throws ShapeError when means and logits disagree', () => {
    expect(() => new MixtureOfDiagonalGaussians(tf.zeros([3]), tf.zeros([2, 2]), tf.zeros([2, 2]))).toThrow(
      /must be \[3,K\] for 3 logits/,
    );
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagonalGaussian } from './diagonal-gaussian.js';
import { EqualMixture } from './equal-mixture.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('EqualMixture', () => {
  it('samples each of two far-apart components about half the time (within 5 binomial standard errors)', () => {
    const r = new EqualMixture(new DiagonalGaussian(tf.tensor2d([[-5, 0], [5, 0]]), tf.fill([2, 2], Math.log(0.01))));
    const n = 2000;
    const z = r.sample(n, 3);
    expect(z.shape).toEqual([n, 1, 2]);
    const xs = Array.from(tf.slice(tf.reshape(z, [n, 2]), [0, 0], [n, 1]).dataSync());
    // every draw lies within 5σ (σ = 0.1) of one component's mean
    expect(xs.every((x) => Math.abs(Math.abs(x) - 5) < 0.5)).toBe(true);
    const right = xs.filter((x) => x > 0).length / n;
    expect(Math.abs(right - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / n));
    expect(Array.from(r.mean().dataSync())).toEqual([0, 0]);
  });

  it('with one component its log density is that component\'s, bit for bit; with two, log of the mean density', () => {
    const c = new DiagonalGaussian(tf.tensor2d([[0.3, -1]]), tf.tensor2d([[0.2, -0.4]]));
    const z = tf.tensor3d([[[0.1, 0.2]], [[2, -3]]]);
    expect(Array.from(new EqualMixture(c).logProb(z).dataSync())).toEqual(Array.from(c.logProb(z).dataSync()));
    const two = new EqualMixture(new DiagonalGaussian(tf.tensor2d([[-1], [1]]), tf.zeros([2, 1])));
    // at 0 both components have density N(0; ±1, 1) = e^{-1/2}/√(2π): the mean is the same
    expect(two.logProb(tf.zeros([1, 1])).dataSync()[0]).toBeCloseTo(-0.5 - 0.5 * Math.log(2 * Math.PI), 6);
  });
});

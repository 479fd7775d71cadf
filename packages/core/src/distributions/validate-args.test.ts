import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { InfiniteKLError } from '../errors/infinite-kl-error.js';
import { InvalidParameterError } from '../errors/invalid-parameter-error.js';
import { createKLRegistry } from '../kl/kl-registry.js';
import { Categorical } from './categorical.js';
import { DiagonalGaussian } from './diagonal-gaussian.js';
import { FullCovGaussian } from './full-cov-gaussian.js';
import { Laplace } from './laplace.js';
import { StandardNormal } from './standard-normal.js';
import { Uniform } from './uniform.js';
import { getDefaultValidateArgs, setDefaultValidateArgs } from './validate-args.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const t = (v: number[]) => tf.tensor2d([v]);
const invalid = (make: () => unknown, message: RegExp) => {
  let err: unknown;
  try {
    make();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InvalidParameterError);
  expect((err as Error).message).toMatch(message);
};

describe('validated distributions (validate_args)', () => {
  it('refuse NaN, infinite and non-positive scales by default, naming the parameter, index and value', () => {
    invalid(() => new DiagonalGaussian(t([0, Number.NaN]), t([0, 0])), /^DiagonalGaussian mean\[1\] is NaN, but it must be a finite number/);
    invalid(() => new DiagonalGaussian(t([0, 0]), t([Number.NEGATIVE_INFINITY, 0])), /logVar\[0\] is -Infinity/);
    invalid(() => new Laplace(t([0]), t([Number.NaN])), /Laplace logScale\[0\] is NaN/);
    invalid(() => new Uniform(t([0, 1]), t([1, 1])), /Uniform interval 1 has width 0 \(high ≤ low\)/);
    invalid(() => new FullCovGaussian(t([0, 0]), tf.tensor3d([[[1, 0], [0.5, 0]]])), /FullCovGaussian scaleTril diagonal\[1\] is 0, but it must be a finite number > 0/);
    invalid(() => new FullCovGaussian(t([0, 0]), tf.tensor3d([[[-1, 0], [0.5, 1]]])), /scaleTril diagonal\[0\] is -1/);
    invalid(() => new Categorical(t([0, Number.NaN])), /Categorical logits\[1\] is NaN/);
    // −∞ logits are a class of probability 0, not an error
    expect(new Categorical(t([0, Number.NEGATIVE_INFINITY])).eventSize).toBe(2);
  });

  it('skip the checks with validateArgs: false, or with the process-wide default switched off', () => {
    expect(new DiagonalGaussian(t([Number.NaN]), t([0]), { validateArgs: false }).eventSize).toBe(1);
    expect(getDefaultValidateArgs()).toBe(true);
    setDefaultValidateArgs(false);
    try {
      expect(new Laplace(t([0]), t([Number.NaN])).eventSize).toBe(1);
      invalid(() => new Laplace(t([0]), t([Number.NaN]), { validateArgs: true }), /logScale\[0\] is NaN/);
    } finally {
      setDefaultValidateArgs(true);
    }
  });

  it('one rule for an infinite KL: a zero-scale Gaussian raises InfiniteKLError like a box outside a uniform prior', () => {
    const kl = createKLRegistry();
    const zeroScale = new DiagonalGaussian(t([0, 0]), t([Number.NEGATIVE_INFINITY, 0]), { validateArgs: false });
    expect(() => kl.kl(zeroScale, new StandardNormal(2))).toThrow(InfiniteKLError);
    const box = new Uniform(t([-2]), t([2]));
    expect(() => kl.kl(box, new Uniform(t([-1]), t([1])))).toThrow(InfiniteKLError);
    // the training hot path skips the read-back: the +∞ reaches the loss, where NonFiniteLossError names the batch
    const unchecked = kl.kl(zeroScale, new StandardNormal(2), { validateArgs: false });
    expect(unchecked.total.dataSync()[0]).toBe(Number.POSITIVE_INFINITY);
    // a finite closed form passes the check unchanged: KL(N(1, 1) ‖ N(0, 1)) = ½ nat
    expect(kl.kl(new DiagonalGaussian(t([1]), t([0])), new StandardNormal(1)).total.dataSync()[0]).toBeCloseTo(0.5, 6);
  });
});

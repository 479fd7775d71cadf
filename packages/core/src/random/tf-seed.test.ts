import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import { tfSeed } from './tf-seed.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const draw = (f: () => tf.Tensor): number[] => tf.tidy(() => Array.from(f().dataSync()));

describe('tfSeed', () => {
  it('maps 0 to a seed tfjs honours and leaves every other value alone', () => {
    expect(tfSeed(0)).toBe(0.5);
    expect(tfSeed(7)).toBe(7);
    expect(tfSeed(undefined)).toBeUndefined();
    expect(Number.isInteger(tfSeed(0))).toBe(false); // so no integer seed collides with it
  });

  it('makes seed-0 draws reproducible: normal, truncated normal (He init), multinomial, and a posterior sample', () => {
    const cases: (() => tf.Tensor)[] = [
      () => tf.randomNormal([50], 0, 1, 'float32', tfSeed(0)),
      () => tf.truncatedNormal([50], 0, 1, 'float32', tfSeed(0)),
      () => tf.initializers.heNormal({ seed: tfSeed(0) }).apply([10, 5]),
      () => tf.multinomial(tf.zeros([1, 8]) as tf.Tensor2D, 50, tfSeed(0)),
      () => new DiagonalGaussian(tf.zeros([4, 3]), tf.zeros([4, 3])).sample(undefined, 0),
    ];
    for (const f of cases) expect(draw(f)).toEqual(draw(f));
    // and seed 0 still differs from seed 1
    expect(draw(cases[0]!)).not.toEqual(draw(() => tf.randomNormal([50], 0, 1, 'float32', tfSeed(1))));
  });
});

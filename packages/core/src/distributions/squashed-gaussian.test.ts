import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { SquashedGaussian } from './squashed-gaussian.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Direct 1-D density of z = low + (high − low)·sigmoid(u), u ~ N(m, v), by change of variables. */
function density(z: number, m: number, v: number, low: number, high: number): number {
  const s = (z - low) / (high - low);
  if (s <= 0 || s >= 1) return 0;
  const u = Math.log(s / (1 - s));
  const gauss = Math.exp(-((u - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
  return gauss / ((high - low) * s * (1 - s));
}

describe('SquashedGaussian', () => {
  const m = [0.4, -1];
  const lv = [Math.log(0.8), Math.log(2)];
  const p = (): SquashedGaussian => new SquashedGaussian(tf.tensor2d([m]), tf.tensor2d([lv]), -2, 3);

  it('logProb matches the change-of-variables density, and is −∞ outside the box', () => {
    const z = [0.7, -1.5];
    const want = Math.log(density(z[0]!, m[0]!, Math.exp(lv[0]!), -2, 3) * density(z[1]!, m[1]!, Math.exp(lv[1]!), -2, 3));
    expect(arr(p().logProb(tf.tensor2d([z])))[0]).toBeCloseTo(want, 4);
    expect(arr(p().logProb(tf.tensor2d([[3.5, 0]])))[0]).toBe(-Infinity);
  });

  it('its density integrates to 1 over the box (Simpson, 4000 intervals)', () => {
    const n = 4000;
    const h = 5 / n;
    const grid = Array.from({ length: n + 1 }, (_, i) => -2 + i * h);
    const z = tf.tensor3d(grid.map((g) => [[g, g]]));
    const lp = arr(p().logProbPerDim(z));
    let mass = 0;
    grid.forEach((_, i) => {
      const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
      mass += w * Math.exp(lp[2 * i]!);
    });
    expect((mass * h) / 3).toBeCloseTo(1, 3);
  });

  it('mean() is the deterministic code low + (high − low)·sigmoid(mean)', () => {
    const code = arr(p().mean());
    code.forEach((c, k) => expect(c).toBeCloseTo(-2 + 5 * sigmoid(m[k]!), 5));
  });

  it('samples stay strictly inside the box, with the mean of sigmoid-transformed Gaussian draws', () => {
    const n = 20000;
    const z = p().sample(n, 21);
    expect(arr(tf.min(z)).every((v) => v > -2)).toBe(true);
    expect(arr(tf.max(z)).every((v) => v < 3)).toBe(true);
    // reference mean by Simpson integration of z·density; the sample mean's sd is at most half the width / √n
    const grid = 4000;
    const h = 5 / grid;
    const ref = m.map((mk, k) => {
      let acc = 0;
      for (let i = 1; i < grid; i++) {
        const x = -2 + i * h;
        acc += (i % 2 === 1 ? 4 : 2) * x * density(x, mk, Math.exp(lv[k]!), -2, 3);
      }
      return (acc * h) / 3;
    });
    const got = arr(tf.mean(z, 0));
    got.forEach((g, k) => expect(Math.abs(g - ref[k]!)).toBeLessThan((5 * 2.5) / Math.sqrt(n)));
  });

  it('sample is reparameterized: gradients reach mean and logVar', () => {
    const [gm, gv] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(new SquashedGaussian(a, b, 0, 1).sample(8, 2)))([
      tf.tensor2d([m]),
      tf.tensor2d([lv]),
    ]);
    expect(arr(gm!).every((g) => g > 0)).toBe(true);
    expect(arr(gv!).every((g) => g !== 0)).toBe(true);
  });

  it('rejects bounds that are not finite with low < high', () => {
    expect(() => new SquashedGaussian(tf.zeros([1, 1]), tf.zeros([1, 1]), 1, 1)).toThrow(ConfigError);
    expect(() => new SquashedGaussian(tf.zeros([1, 1]), tf.zeros([1, 1]), 0, Infinity)).toThrow(/high=Infinity/);
  });
});

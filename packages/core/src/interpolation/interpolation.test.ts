import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { ShapeError } from '../errors/shape-error.js';
import { linearInterpolate } from './linear.js';
import { interpolationPath, MAX_INTERPOLATION_STEPS } from './path.js';
import { slerp } from './slerp.js';
import { sphericalInterpolate } from './spherical.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const norm = (z: ArrayLike<number>): number => Math.sqrt(Array.from(z).reduce((s, v) => s + v * v, 0));
const close = (a: ArrayLike<number>, b: ArrayLike<number>, digits = 10): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, digits);
};

const z1 = [0.3, -1.2, 2.0, 0.7];
const z2 = Float32Array.from([1.5, 0.4, -0.6, 0.1]);

describe('linearInterpolate', () => {
  it('hits the endpoints and (1 − α)z₁ + αz₂ between', () => {
    close(linearInterpolate(z1, z2, 0), z1);
    close(linearInterpolate(z1, z2, 1), z2, 6);
    close(linearInterpolate(z1, z2, 0.3), z1.map((v, i) => 0.7 * v + 0.3 * z2[i]!), 6);
  });

  it('works on tensors of equal shape', () => {
    const a = tf.tensor2d([[0, 0], [1, 1]]);
    const b = tf.tensor2d([[2, 4], [3, -1]]);
    close(linearInterpolate(a, b, 0.5).dataSync(), [1, 2, 2, 0], 6);
  });
});

describe('sphericalInterpolate (seed 001)', () => {
  it('is z₁ at θ = 0 and z₂ at θ = π/2', () => {
    close(sphericalInterpolate(z1, z2, 0), z1);
    close(sphericalInterpolate(z1, z2, Math.PI / 2), z2, 6);
    close(sphericalInterpolate(z1, z2, Math.PI / 3), z1.map((v, i) => 0.5 * v + (Math.sqrt(3) / 2) * z2[i]!), 6);
  });

  it('keeps independent N(0, I) codes at mean squared norm K, unlike the linear midpoint (K/2)', () => {
    // E‖z_θ‖² = K(cos²θ + sin²θ) = K, E‖z_lin(½)‖² = K/2. With n pairs of K = 16 codes the sample
    // mean of ‖z‖²/K has standard error √(2/K)/√n = 0.0125 at n = 800; test within 5 SE.
    const n = 800;
    const k = 16;
    const a = tf.randomNormal([n, k], 0, 1, 'float32', 1);
    const b = tf.randomNormal([n, k], 0, 1, 'float32', 2);
    const meanSq = (z: tf.Tensor): number => tf.mean(tf.sum(tf.square(z), 1)).dataSync()[0]! / k;
    const se = Math.sqrt(2 / k) / Math.sqrt(n);
    for (const theta of [0.3, Math.PI / 4, 1.2]) expect(Math.abs(meanSq(sphericalInterpolate(a, b, theta)) - 1)).toBeLessThan(5 * se);
    expect(Math.abs(meanSq(linearInterpolate(a, b, 0.5)) - 0.5)).toBeLessThan(5 * se);
  });
});

describe('slerp', () => {
  it('hits the endpoints', () => {
    close(slerp(z1, z2, 0), z1, 6);
    close(slerp(z1, z2, 1), z2, 6);
  });

  it('preserves the norm of equal-norm codes and moves at constant angular speed', () => {
    const a = [3, 0, 4, 0]; // norm 5
    const b = [0, 5, 0, 0]; // norm 5, orthogonal: Ω = π/2
    for (const t of [0.1, 0.25, 0.5, 0.8]) {
      const z = slerp(a, b, t);
      expect(norm(z)).toBeCloseTo(5, 10);
      // angle to a is t·Ω
      expect(Math.acos((z[0]! * 3 + z[2]! * 4) / 25)).toBeCloseTo((t * Math.PI) / 2, 10);
    }
  });

  it('falls back to linear for parallel codes, and works over the last axis of tensors', () => {
    close(slerp([1, 2], [2, 4], 0.5), [1.5, 3]);
    const a = tf.tensor2d([[1, 0], [1, 2]]);
    const b = tf.tensor2d([[0, 1], [2, 4]]);
    const z = slerp(a, b, 0.5).dataSync();
    close(z, [Math.SQRT1_2, Math.SQRT1_2, 1.5, 3], 5);
  });
});

describe('interpolationPath', () => {
  it('returns `steps` codes from z₁ to z₂ for each kind', () => {
    for (const kind of ['linear', 'spherical', 'slerp'] as const) {
      const path = interpolationPath(kind, z1, z2, 7);
      expect(path).toHaveLength(7);
      close(path[0]!, z1, 6);
      close(path[6]!, z2, 6);
    }
    const lin = interpolationPath('linear', [0], [1], 5).map((z) => z[0]!);
    close(lin, [0, 0.25, 0.5, 0.75, 1]);
    const sph = interpolationPath('spherical', [1, 0], [0, 1], 3);
    close(sph[1]!, [Math.SQRT1_2, Math.SQRT1_2]);
  });

  it('rejects bad steps, kinds and shapes', () => {
    expect(() => interpolationPath('linear', [0], [1], 1)).toThrow(ConfigError);
    expect(() => interpolationPath('cubic' as never, [0], [1], 3)).toThrow(/unknown interpolation kind/);
    expect(() => linearInterpolate([0, 1], [1], 0.5)).toThrow(ShapeError);
    expect(() => slerp([0, 1], [1, 0], Number.NaN)).toThrow(ConfigError);
    // a NaN in a code came back as a NaN path; a million steps filled the heap
    expect(() => slerp([Number.NaN, 0], [1, 0], 0.5)).toThrow('slerp: z1[0] is NaN: a code must hold finite numbers');
    expect(() => linearInterpolate([0, 1], [1, Number.POSITIVE_INFINITY], 0.5)).toThrow('linearInterpolate: z2[1] is Infinity: a code must hold finite numbers');
    expect(() => interpolationPath('linear', [0], [1], 1e9)).toThrow(`steps must be an integer from 2 to ${MAX_INTERPOLATION_STEPS}`);
    expect(interpolationPath('linear', [0], [1], MAX_INTERPOLATION_STEPS)).toHaveLength(MAX_INTERPOLATION_STEPS);
  });
});

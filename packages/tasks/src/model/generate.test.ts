import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { interpolateCodes } from './generate.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('interpolateCodes', () => {
  it('follows (1 − α)z₁ + αz₂ and z₁·cos θ + z₂·sin θ', () => {
    const z1 = tf.tensor1d([2, 0]);
    const z2 = tf.tensor1d([0, 2]);
    const lin = interpolateCodes(z1, z2, 3, 'linear').arraySync() as number[][];
    expect(lin[1]?.[0]).toBeCloseTo(1, 6);
    expect(lin[1]?.[1]).toBeCloseTo(1, 6);
    const sph = interpolateCodes(z1, z2, 3, 'spherical').arraySync() as number[][];
    expect(sph[1]?.[0]).toBeCloseTo(2 * Math.cos(Math.PI / 4), 5);
    // the spherical path keeps the norm of orthogonal equal-norm codes
    for (const row of sph) expect(Math.hypot(row[0] ?? 0, row[1] ?? 0)).toBeCloseTo(2, 5);
    expect(sph[2]?.[1]).toBeCloseTo(2, 5);
    expect(() => interpolateCodes(z1, z2, 1, 'linear')).toThrow(/steps/);
  });
});

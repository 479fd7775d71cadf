import { describe, expect, it } from 'vitest';
import { lerpCode, slerpCode } from './interpolate.js';

describe('latent paths', () => {
  it('linear path hits both ends and the midpoint', () => {
    expect(lerpCode([0, 2], [4, -2], 0)).toEqual([0, 2]);
    expect(lerpCode([0, 2], [4, -2], 1)).toEqual([4, -2]);
    expect(lerpCode([0, 2], [4, -2], 0.5)).toEqual([2, 0]);
  });
  it('spherical path z₁cosθ + z₂sinθ hits both ends and keeps the norm of orthonormal codes', () => {
    const z1 = [1, 0, 0];
    const z2 = [0, 1, 0];
    expect(slerpCode(z1, z2, 0)).toEqual(z1);
    const end = slerpCode(z1, z2, 1);
    expect(end[0]).toBeCloseTo(0, 12);
    expect(end[1]).toBeCloseTo(1, 12);
    for (const a of [0.1, 0.37, 0.5, 0.9]) {
      expect(Math.hypot(...slerpCode(z1, z2, a))).toBeCloseTo(1, 12);
      // The straight path shrinks toward the centre instead: |z| = √((1−α)² + α²) < 1.
      expect(Math.hypot(...lerpCode(z1, z2, a))).toBeCloseTo(Math.hypot(1 - a, a), 12);
    }
  });
  it('refuses codes of different lengths', () => {
    expect(() => slerpCode([1], [1, 2], 0.5)).toThrow(/1 vs 2/);
  });
});

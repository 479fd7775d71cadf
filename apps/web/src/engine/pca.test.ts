import { describe, expect, it } from 'vitest';
import { pca2 } from './pca.js';

describe('pca2', () => {
  it('finds the axes of a known covariance: variances 9, 4, 1 along a rotated basis', () => {
    // Rows ±3·a, ±2·b, ±1·c for an orthonormal a, b, c: the covariance has eigenvalues 9·2/6, 4·2/6, 1·2/6.
    const s = Math.SQRT1_2;
    const a = [s, s, 0];
    const b = [s, -s, 0];
    const c = [0, 0, 1];
    const pts: number[] = [];
    for (const [v, sd] of [[a, 3], [b, 2], [c, 1]] as const) for (const sign of [1, -1]) pts.push(...v.map((x) => sign * sd * x + 5));
    const p = pca2(Float32Array.from(pts), 6, 3);
    expect(Array.from(p.mean)).toEqual([5, 5, 5].map((m) => expect.closeTo(m, 9)));
    expect(Math.abs(p.axes[0][0]! * s + p.axes[0][1]! * s)).toBeCloseTo(1, 6);
    expect(Math.abs(p.axes[1][0]! * s - p.axes[1][1]! * s)).toBeCloseTo(1, 6);
    expect(p.explained[0]).toBeCloseTo(9 / 14, 6);
    expect(p.explained[1]).toBeCloseTo(4 / 14, 6);
  });
});

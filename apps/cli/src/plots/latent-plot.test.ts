import { describe, expect, it } from 'vitest';
import { ellipse95, RADIUS_95 } from './latent-plot.js';

describe('ellipse95', () => {
  it('uses the 0.95 quantile of χ² with 2 degrees of freedom (5.9915)', () => {
    expect(RADIUS_95 ** 2).toBeCloseTo(5.991465, 5);
  });

  it('puts every point at Mahalanobis distance √5.99 from the mean', () => {
    const mean = [1, -2];
    const cov = [2, 0.9, 0.9, 0.5]; // det = 0.19 > 0
    const det = cov[0]! * cov[3]! - cov[1]! * cov[2]!;
    const inv = [cov[3]! / det, -cov[1]! / det, -cov[2]! / det, cov[0]! / det];
    const pts = ellipse95(mean, cov, 40);
    expect(pts).toHaveLength(41);
    expect(pts[40]![0]).toBeCloseTo(pts[0]![0], 12);
    for (const [x, y] of pts) {
      const dx = x - mean[0]!;
      const dy = y - mean[1]!;
      const d2 = dx * (inv[0]! * dx + inv[1]! * dy) + dy * (inv[2]! * dx + inv[3]! * dy);
      expect(d2).toBeCloseTo(RADIUS_95 ** 2, 9);
    }
  });

  it('spans ±r·σ along each axis of a diagonal covariance', () => {
    const xs = ellipse95([0, 0], [4, 0, 0, 1], 4).map(([x]) => x);
    const ys = ellipse95([0, 0], [4, 0, 0, 1], 4).map(([, y]) => y);
    expect(Math.max(...xs)).toBeCloseTo(2 * RADIUS_95, 12);
    expect(Math.max(...ys)).toBeCloseTo(RADIUS_95, 12);
  });
});

import { describe, expect, it } from 'vitest';
import { CHI2_2DOF_95, covarianceEllipse, diagonalEllipse, ellipsePoint, ellipsePolygon } from './ellipse.js';

/** Mahalanobis distance² of p from N(mu, cov). */
function mahalanobis2(p: [number, number], mu: [number, number], cov: [[number, number], [number, number]]): number {
  const [[a, b], [, c]] = cov;
  const det = a * c - b * b;
  const dx = p[0] - mu[0];
  const dy = p[1] - mu[1];
  return (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
}

/** Deterministic normal draws (Box–Muller on a small LCG) so the coverage test cannot flake. */
function normals(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  const out: number[] = [];
  while (out.length < n) {
    const r = Math.sqrt(-2 * Math.log(u()));
    const t = 2 * Math.PI * u();
    out.push(r * Math.cos(t), r * Math.sin(t));
  }
  return out.slice(0, n);
}

describe('covarianceEllipse', () => {
  it('uses the chi-square(2) 95% quantile −2 ln 0.05', () => {
    expect(CHI2_2DOF_95).toBeCloseTo(-2 * Math.log(0.05), 12);
    expect(CHI2_2DOF_95).toBeCloseTo(5.991, 3);
  });

  it('gives axis-aligned semi-axes √(q·σ²) for a diagonal covariance', () => {
    const e = covarianceEllipse([1, -2], [[4, 0], [0, 1]]);
    expect(e.rx).toBeCloseTo(Math.sqrt(CHI2_2DOF_95 * 4), 12);
    expect(e.ry).toBeCloseTo(Math.sqrt(CHI2_2DOF_95), 12);
    expect(e.angle).toBeCloseTo(0, 12);
    expect([e.cx, e.cy]).toEqual([1, -2]);
  });

  it('puts every boundary point at Mahalanobis distance² = q for a correlated covariance', () => {
    const mu: [number, number] = [0.5, 0.25];
    const cov: [[number, number], [number, number]] = [[2, 0.9], [0.9, 1]];
    const e = covarianceEllipse(mu, cov);
    for (let k = 0; k < 16; k++) {
      const p = ellipsePoint(e, (2 * Math.PI * k) / 16);
      expect(mahalanobis2(p, mu, cov)).toBeCloseTo(CHI2_2DOF_95, 9);
    }
    // Eigenvalues of [[2,.9],[.9,1]]: 1.5 ± √(0.25+0.81).
    expect(e.rx ** 2 / CHI2_2DOF_95).toBeCloseTo(1.5 + Math.sqrt(1.06), 9);
    expect(e.ry ** 2 / CHI2_2DOF_95).toBeCloseTo(1.5 - Math.sqrt(1.06), 9);
  });

  it('encloses 95% of Gaussian samples (20,000 draws: SE of a proportion ≈ 0.0015, tolerance 4 SE)', () => {
    const cov: [[number, number], [number, number]] = [[1, -0.6], [-0.6, 0.5]];
    // Cholesky factor of cov.
    const l11 = 1;
    const l21 = -0.6;
    const l22 = Math.sqrt(0.5 - 0.36);
    const e = covarianceEllipse([0, 0], cov);
    const z = normals(40_000, 7);
    let inside = 0;
    const ct = Math.cos(e.angle);
    const st = Math.sin(e.angle);
    for (let i = 0; i < 20_000; i++) {
      const a = z[2 * i]!;
      const b = z[2 * i + 1]!;
      const x = l11 * a;
      const y = l21 * a + l22 * b;
      const u = x * ct + y * st;
      const v = -x * st + y * ct;
      if ((u / e.rx) ** 2 + (v / e.ry) ** 2 <= 1) inside++;
    }
    expect(Math.abs(inside / 20_000 - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / 20_000));
  });

  it('matches the diagonal helper on exp(log-variance)', () => {
    const e = diagonalEllipse([0, 0], [Math.log(0.25), Math.log(9)]);
    expect(Math.max(e.rx, e.ry)).toBeCloseTo(3 * Math.sqrt(CHI2_2DOF_95), 12);
    expect(Math.min(e.rx, e.ry)).toBeCloseTo(0.5 * Math.sqrt(CHI2_2DOF_95), 12);
  });

  it('rejects a covariance with a negative eigenvalue, naming it', () => {
    expect(() => covarianceEllipse([0, 0], [[1, 2], [2, 1]])).toThrow(/negative eigenvalue -1/);
    expect(() => covarianceEllipse([0, 0], [[1, 0.1], [0.2, 1]])).toThrow(/not symmetric/);
    expect(() => covarianceEllipse([0, Number.NaN], [[1, 0], [0, 1]])).toThrow(/non-finite/);
  });
});

describe('ellipsePolygon (the CLI plot and the web chart draw the same ellipses)', () => {
  it('puts every point at Mahalanobis distance² 5.991 (χ²₂ at 0.95) and closes the ring', () => {
    const mu: [number, number] = [1, -2];
    const cov: [[number, number], [number, number]] = [[2, 0.9], [0.9, 0.5]];
    const pts = ellipsePolygon(covarianceEllipse(mu, cov), 40);
    expect(pts).toHaveLength(41);
    expect(pts[40]![0]).toBeCloseTo(pts[0]![0], 12);
    for (const p of pts) expect(mahalanobis2(p, mu, cov)).toBeCloseTo(CHI2_2DOF_95, 9);
  });
});

/** The 0.95 quantile of the chi-square distribution with 2 degrees of freedom: −2·ln(0.05). */
export const CHI2_2DOF_95 = 5.991464547107979;

/** An ellipse in the plane: centre, semi-axes and rotation of the first axis (radians). */
export interface Ellipse {
  /** Centre, x. */
  readonly cx: number;
  /** Centre, y. */
  readonly cy: number;
  /** Semi-axis along the direction `angle`. */
  readonly rx: number;
  /** Semi-axis perpendicular to it. */
  readonly ry: number;
  /** Rotation of the `rx` axis from the x axis, radians. */
  readonly angle: number;
}

/**
 * The region {z : (z−μ)ᵀ Σ⁻¹ (z−μ) ≤ q} of a 2-D Gaussian N(μ, Σ) as an ellipse: with q the
 * chi-square(2) quantile 5.991 it holds 95% of the mass (the ellipses of Alemi et al., 2017, Fig. 2).
 * @param mean - μ as [x, y]
 * @param cov - Σ as [[σxx, σxy], [σxy, σyy]]
 * @param quantile - q, default {@link CHI2_2DOF_95}
 * @returns the ellipse
 * @throws RangeError when Σ is not symmetric positive semi-definite or has non-finite entries
 * @example
 * ```ts
 * covarianceEllipse([0, 0], [[1, 0], [0, 4]]); // { rx: √5.991, ry: 2·√5.991, angle: 0 } up to axis order
 * ```
 */
export function covarianceEllipse(
  mean: readonly [number, number],
  cov: readonly [readonly [number, number], readonly [number, number]],
  quantile: number = CHI2_2DOF_95,
): Ellipse {
  const [[a, b], [b2, c]] = cov;
  if (![a, b, b2, c, mean[0], mean[1], quantile].every(Number.isFinite)) {
    throw new RangeError(`covarianceEllipse: non-finite input (mean ${mean}, cov ${JSON.stringify(cov)}); pass finite numbers`);
  }
  if (Math.abs(b - b2) > 1e-9 * Math.max(1, Math.abs(b))) {
    throw new RangeError(`covarianceEllipse: covariance is not symmetric (${b} vs ${b2}); pass a symmetric matrix`);
  }
  const half = (a + c) / 2;
  const disc = Math.sqrt(((a - c) / 2) ** 2 + b * b);
  const l1 = half + disc;
  const l2 = half - disc;
  if (l2 < -1e-12 * Math.max(1, Math.abs(l1))) {
    throw new RangeError(`covarianceEllipse: covariance has a negative eigenvalue ${l2}; pass a positive semi-definite matrix`);
  }
  const angle = 0.5 * Math.atan2(2 * b, a - c);
  return {
    cx: mean[0],
    cy: mean[1],
    rx: Math.sqrt(quantile * l1),
    ry: Math.sqrt(quantile * Math.max(l2, 0)),
    angle,
  };
}

/**
 * The 95% ellipse of a diagonal Gaussian given its log-variances (what a VIB encoder outputs).
 * @param mean - μ as [x, y]
 * @param logVar - log σ² as [x, y]
 * @returns the ellipse (axis-aligned)
 */
export function diagonalEllipse(mean: readonly [number, number], logVar: readonly [number, number]): Ellipse {
  return covarianceEllipse(mean, [
    [Math.exp(logVar[0]), 0],
    [0, Math.exp(logVar[1])],
  ]);
}

/**
 * A point on an ellipse's boundary.
 * @param e - the ellipse
 * @param t - parameter in radians
 * @returns [x, y]
 */
export function ellipsePoint(e: Ellipse, t: number): [number, number] {
  const ct = Math.cos(e.angle);
  const st = Math.sin(e.angle);
  const u = e.rx * Math.cos(t);
  const v = e.ry * Math.sin(t);
  return [e.cx + u * ct - v * st, e.cy + u * st + v * ct];
}

/**
 * An ellipse as a closed polygon (for line marks): `steps` points around it, the first repeated at the end.
 * @param e - the ellipse
 * @param steps - points around the ellipse (≥ 3)
 * @returns [x, y] pairs, `steps + 1` of them
 * @example
 * ```ts
 * ellipsePolygon(covarianceEllipse([0, 0], [[1, 0], [0, 1]]), 4).length; // 5
 * ```
 */
export function ellipsePolygon(e: Ellipse, steps = 32): [number, number][] {
  return Array.from({ length: steps + 1 }, (_, i) => ellipsePoint(e, (2 * Math.PI * (i % steps)) / steps));
}

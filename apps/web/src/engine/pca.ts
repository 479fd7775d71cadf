/** The top two principal directions of a set of rows. */
export interface Pca2 {
  /** Column means [K]. */
  readonly mean: Float64Array;
  /** Unit directions, row-major [2, K]: the first and second principal axes (orthogonal). */
  readonly axes: readonly [Float64Array, Float64Array];
  /** Fraction of the total variance along each axis. */
  readonly explained: readonly [number, number];
}

function topEigenvector(c: Float64Array, k: number, iterations: number): { v: Float64Array; lambda: number } {
  let v = Float64Array.from({ length: k }, (_, i) => 1 / Math.sqrt(k) + 1e-3 * i);
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    const w = new Float64Array(k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) w[i] = w[i]! + c[i * k + j]! * v[j]!;
    const norm = Math.hypot(...w);
    if (norm === 0) break;
    lambda = norm;
    v = w.map((x) => x / norm);
  }
  return { v, lambda };
}

/**
 * The first two principal components of n rows of K values (power iteration with deflation on the K×K
 * covariance; K is a latent size, at most a few dozen).
 * @param rows - row-major [n, K]
 * @param n - rows
 * @param k - columns (at least 2)
 * @param iterations - power iterations per component
 * @returns mean, axes and explained variance fractions
 * @example
 * ```ts
 * pca2(Float32Array.from([0, 0, 0, 2, 0, 0, 0, 1, 0]), 3, 3).axes[0]; // ≈ ±[1, 0, 0]
 * ```
 */
export function pca2(rows: ArrayLike<number>, n: number, k: number, iterations = 200): Pca2 {
  const mean = new Float64Array(k);
  for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) mean[j] = mean[j]! + rows[r * k + j]! / n;
  const c = new Float64Array(k * k);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) {
      const di = rows[r * k + i]! - mean[i]!;
      for (let j = 0; j < k; j++) c[i * k + j] = c[i * k + j]! + (di * (rows[r * k + j]! - mean[j]!)) / n;
    }
  }
  let trace = 0;
  for (let i = 0; i < k; i++) trace += c[i * k + i]!;
  const first = topEigenvector(c, k, iterations);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) c[i * k + j] = c[i * k + j]! - first.lambda * first.v[i]! * first.v[j]!;
  const second = topEigenvector(c, k, iterations);
  // Remove any residual of the first axis so the two are exactly orthogonal.
  const dot = second.v.reduce((s, x, i) => s + x * first.v[i]!, 0);
  const v2 = second.v.map((x, i) => x - dot * first.v[i]!);
  const n2 = Math.hypot(...v2) || 1;
  return {
    mean,
    axes: [first.v, v2.map((x) => x / n2)],
    explained: trace > 0 ? [first.lambda / trace, second.lambda / trace] : [0, 0],
  };
}

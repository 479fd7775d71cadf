import { ConfigError, information, type ActivationEstimatorPlugin } from '@vib/core';
import { z } from 'zod';

/** Config of {@link gaussianMIEstimator}: a ridge term for the least-squares solve. */
export const gaussianMIConfigSchema = z.strictObject({
  /** Added to the diagonal of TᵀT (stabilizes collinear activations). */
  ridge: z.number().min(0).default(1e-9),
});

/** Parsed config of {@link gaussianMIEstimator}. */
export type GaussianMIConfig = z.output<typeof gaussianMIConfigSchema>;

/** Solve A·w = b by Gaussian elimination with partial pivoting (A is small: d+1 square). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const w = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * w[k]!;
    w[r] = s / a[r]![r]!;
  }
  return w;
}

/**
 * I(T;Y) under a joint Gaussian assumption: −½·ln(1 − R²), with R² the share of Y's variance explained by
 * the least-squares fit of Y on T (exact for jointly Gaussian T and scalar Y: −½·ln(1 − ρ²) in one
 * dimension). Reads the labels as numbers. It gives no I(X;T).
 */
export const gaussianMIEstimator: ActivationEstimatorPlugin<GaussianMIConfig> = {
  name: 'gaussian-ity',
  description: 'I(T;Y) = −½·ln(1 − R²) from the linear fit of Y on T (exact for jointly Gaussian variables)',
  input: 'activations',
  configSchema: gaussianMIConfigSchema,
  estimate({ activations: t, labels }, config) {
    const { n, d } = t;
    if (n < d + 2 || labels.length < n) {
      throw new ConfigError(`estimator "gaussian-ity" needs more rows than dimensions + 1 and a label per row, got n = ${n}, d = ${d}, ${labels.length} labels`);
    }
    const m = d + 1; // intercept column
    const a = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    const b = new Array<number>(m).fill(0);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += Number(labels[i]) / n;
    const row = (i: number): number[] => [1, ...Array.from({ length: d }, (_, j) => Number(t.data[i * d + j]))];
    for (let i = 0; i < n; i++) {
      const r = row(i);
      for (let p = 0; p < m; p++) {
        b[p]! += r[p]! * Number(labels[i]);
        for (let q = 0; q < m; q++) a[p]![q]! += r[p]! * r[q]!;
      }
    }
    for (let p = 1; p < m; p++) a[p]![p]! += config.ridge * n;
    const w = solve(a, b);
    let residual = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const r = row(i);
      const fit = r.reduce((s, v, k) => s + v * w[k]!, 0);
      residual += (Number(labels[i]) - fit) ** 2;
      total += (Number(labels[i]) - mean) ** 2;
    }
    const r2 = total > 0 ? Math.min(1 - residual / total, 1 - 1e-12) : 0;
    return { ity: information(-0.5 * Math.log(1 - Math.max(r2, 0))), extraNats: { rSquared: r2 } };
  },
};

import type { LatentCodes } from '../latent/latent-codes.js';
import type { VegaLiteSpec } from './render-plot.js';

/** √(χ²₂ quantile at 0.95) = √(−2·ln 0.05): the Mahalanobis radius of a 2-D Gaussian's 95% ellipse. */
export const RADIUS_95 = Math.sqrt(-2 * Math.log(0.05));

/**
 * Points on the 95% ellipse of a 2-D Gaussian: μ + r·L·(cos θ, sin θ) with L the Cholesky factor of Σ.
 * @param mean - μ (2 values)
 * @param cov - Σ as [s11, s12, s21, s22]
 * @param steps - points on the ellipse (the first is repeated at the end to close it)
 * @returns the ellipse as [x, y] pairs
 */
export function ellipse95(mean: ArrayLike<number>, cov: ArrayLike<number>, steps = 32): [number, number][] {
  const a = Math.sqrt(Math.max(cov[0] ?? 0, 0));
  const b = a > 0 ? (cov[2] ?? 0) / a : 0;
  const c = Math.sqrt(Math.max((cov[3] ?? 0) - b * b, 0));
  const out: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const t = (2 * Math.PI * i) / steps;
    const u = RADIUS_95 * Math.cos(t);
    const v = RADIUS_95 * Math.sin(t);
    out.push([(mean[0] ?? 0) + a * u, (mean[1] ?? 0) + b * u + c * v]);
  }
  return out;
}

/**
 * The 2-D embedding of test inputs in the style of Alemi et al. (2017), Fig. 2: the posterior mean of each
 * test input coloured by its class, and the 95% ellipse of p(z|x) for the first `ellipses` inputs.
 * @param codes - codes with K = 2
 * @param ellipses - how many inputs get an ellipse (they crowd the plot beyond a few hundred)
 * @returns a Vega-Lite spec
 */
export function latentSpec(codes: LatentCodes, ellipses = 150): VegaLiteSpec {
  const points = Array.from({ length: codes.n }, (_, i) => ({ z1: codes.means[2 * i], z2: codes.means[2 * i + 1], label: String(codes.labels[i]) }));
  const rings: { id: number; step: number; z1: number; z2: number; label: string }[] = [];
  if (codes.covariances !== null) {
    for (let i = 0; i < Math.min(ellipses, codes.n); i++) {
      ellipse95(codes.means.subarray(2 * i, 2 * i + 2), codes.covariances.subarray(4 * i, 4 * i + 4)).forEach(([z1, z2], step) =>
        rings.push({ id: i, step, z1, z2, label: String(codes.labels[i]) }));
    }
  }
  const color = { field: 'label', type: 'nominal', title: 'class', scale: { scheme: 'category10' }, legend: { labelLimit: 1000 } };
  const x = { field: 'z1', type: 'quantitative', title: 'z₁ (posterior mean)' };
  const y = { field: 'z2', type: 'quantitative', title: 'z₂ (posterior mean)' };
  const subtitle = codes.covariances === null
    ? `${codes.n} test inputs`
    : `${codes.n} test inputs; 95% ellipses of p(z|x) for the first ${Math.min(ellipses, codes.n)}`;
  return {
    title: { text: 'Test codes in the 2-D latent space', subtitle },
    width: 480,
    height: 480,
    layer: [
      ...(rings.length > 0
        ? [{ data: { values: rings }, mark: { type: 'line', strokeWidth: 0.8, opacity: 0.5 }, encoding: { x, y, color, detail: { field: 'id' }, order: { field: 'step', type: 'quantitative' } } }]
        : []),
      { data: { values: points }, mark: { type: 'circle', size: 12, opacity: 0.7 }, encoding: { x, y, color } },
    ],
  };
}

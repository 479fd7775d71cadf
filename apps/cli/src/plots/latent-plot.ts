import { covarianceEllipse, ellipsePolygon, type LatentCodes } from '@vib/tasks';
import type { VegaLiteSpec } from './render-plot.js';

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
      const [m1 = 0, m2 = 0] = codes.means.subarray(2 * i, 2 * i + 2);
      const [s11 = 0, s12 = 0, , s22 = 0] = codes.covariances.subarray(4 * i, 4 * i + 4);
      ellipsePolygon(covarianceEllipse([m1, m2], [[s11, s12], [s12, s22]])).forEach(([z1, z2], step) =>
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

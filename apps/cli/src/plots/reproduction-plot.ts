import type { VegaLiteSpec } from './render-plot.js';

/**
 * Each metric with a published value: the measured mean ± one standard deviation over seeds (point and bar) beside
 * the published figure (a red tick), one row per metric.
 * @param rows - metric name, measured mean and sd, published value
 * @param title - the reproduction and its citation
 * @returns a Vega-Lite spec
 */
export function publishedVsMeasuredSpec(rows: readonly { metric: string; mean: number; sd: number; published: number }[], title: string): VegaLiteSpec {
  const values = rows.map((r) => ({ ...r, lo: r.mean - r.sd, hi: r.mean + r.sd }));
  const y = { field: 'metric', type: 'nominal', title: null, axis: { labelLimit: 1000 } };
  return {
    title,
    data: { values },
    width: 360,
    height: { step: 40 },
    layer: [
      { mark: { type: 'rule' }, encoding: { y, x: { field: 'lo', type: 'quantitative', title: 'value (measured: mean ± sd over seeds; red: published)' }, x2: { field: 'hi' } } },
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { y, x: { field: 'mean', type: 'quantitative' } } },
      { mark: { type: 'tick', color: 'red', thickness: 2 }, encoding: { y, x: { field: 'published', type: 'quantitative' } } },
    ],
  };
}

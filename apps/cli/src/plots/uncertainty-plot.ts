import type { ReliabilityBin } from '@vib/core';
import type { VegaLiteSpec } from './render-plot.js';

/**
 * Left: the per-example rate of in-distribution and OOD test inputs (histograms, as fractions of each set);
 * right: the reliability diagram of the in-distribution predictions (accuracy against mean confidence per bin,
 * the diagonal is perfect calibration).
 * @param rates - per-example rate in bits, by set name
 * @param bins - reliability bins
 * @param title - the plot title
 * @returns a Vega-Lite spec
 */
export function uncertaintySpec(rates: Readonly<Record<string, ArrayLike<number>>>, bins: readonly ReliabilityBin[], title: string): VegaLiteSpec {
  const values = Object.entries(rates).flatMap(([set, r]) => Array.from(r, (v) => ({ set, rateBits: v, weight: 1 / r.length })));
  const hist = {
    title: 'per-example rate KL(p(z|x) ‖ r(z))',
    data: { values },
    mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
    width: 340,
    height: 240,
    encoding: {
      x: { field: 'rateBits', type: 'quantitative', bin: { maxbins: 40 }, title: 'rate (bits)' },
      y: { aggregate: 'sum', field: 'weight', type: 'quantitative', stack: null, title: 'fraction of the set' },
      color: { field: 'set', type: 'nominal', legend: { labelLimit: 1000 } },
    },
  };
  const filled = bins.filter((b) => b.count > 0).map((b) => ({ ...b, mid: (b.low + b.high) / 2 }));
  const reliability = {
    title: 'reliability (in-distribution test)',
    width: 240,
    height: 240,
    layer: [
      { data: { values: [{ a: 0, b: 0 }, { a: 1, b: 1 }] }, mark: { type: 'line', color: 'gray', strokeDash: [4, 4] }, encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } } },
      {
        data: { values: filled },
        mark: { type: 'point', filled: true },
        encoding: {
          x: { field: 'confidence', type: 'quantitative', title: 'mean confidence max q(y|x)', scale: { domain: [0, 1] } },
          y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
          size: { field: 'count', type: 'quantitative', title: 'predictions' },
        },
      },
    ],
  };
  return { title, hconcat: [hist, reliability] };
}

import type { VegaLiteSpec } from './render-plot.js';

/** One point of a β sweep. */
export interface SweepPoint {
  readonly beta: number;
  readonly rateBits: number;
  readonly izyBits: number | null;
  readonly accuracy: number | null;
  readonly reconstructionNats: number | null;
}

/**
 * The information-bottleneck curve and the score against β, side by side (the layout of Alemi et al. 2017, Fig. 1):
 * left, the I(Z;Y) lower bound against the rate (I(X;Z) upper bound), each point a β; right, test accuracy
 * (or reconstruction loss) against β on a log axis.
 * @param points - one per β
 * @returns a Vega-Lite spec
 */
export function sweepSpec(points: readonly SweepPoint[]): VegaLiteSpec {
  const values = points.map((p) => ({ ...p, betaLabel: `β=${p.beta.toPrecision(2)}` }));
  const classification = points.some((p) => p.accuracy !== null);
  const scoreField = classification ? 'accuracy' : 'reconstructionNats';
  const left = classification
    ? {
        title: 'IB curve',
        layer: [
          { mark: { type: 'line', point: true }, encoding: { order: { field: 'rateBits', type: 'quantitative' } } },
          { mark: { type: 'text', dx: 6, dy: -8, align: 'left', fontSize: 10 }, encoding: { text: { field: 'betaLabel' } } },
        ],
        encoding: {
          x: { field: 'rateBits', type: 'quantitative', title: 'I(X;Z) ≤ rate (bits)' },
          y: { field: 'izyBits', type: 'quantitative', title: 'I(Z;Y) ≥ H(Y) − CE (bits)', scale: { zero: false } },
        },
        width: 360,
        height: 260,
      }
    : null;
  const right = {
    title: classification ? 'test accuracy vs β' : 'reconstruction vs β',
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'beta', type: 'quantitative', title: 'β', scale: { type: 'log' } },
      y: { field: scoreField, type: 'quantitative', title: classification ? 'test accuracy (mean code)' : '−log p(x|z) (nats)', scale: { zero: false } },
    },
    width: 360,
    height: 260,
  };
  return { title: 'β sweep', data: { values }, hconcat: left ? [left, right] : [right] };
}

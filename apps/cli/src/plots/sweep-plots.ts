import type { VegaLiteSpec } from './render-plot.js';

/** One point of a β sweep, measured on the test set. */
export interface SweepPoint {
  readonly beta: number;
  /** Test-set rate KL(p(z|x) ‖ r(z)) in bits (≥ I(X;Z)). */
  readonly rateBits: number;
  /** Test-set H(Y) − CE in bits (≤ I(Z;Y)), or null for reconstruction. */
  readonly izyBits: number | null;
  readonly accuracy: number | null;
  readonly reconstructionNats: number | null;
}

/**
 * The information-bottleneck curve and the score against β, side by side (the layout of Alemi et al. 2017, Fig. 1):
 * left, the test-set I(Z;Y) lower bound against the test-set rate (an I(X;Z) upper bound), each point a β, with
 * H(Y_test), the ceiling of the bound, as a dashed rule; right, test accuracy (or reconstruction loss) against β.
 * @param points - one per β
 * @param options - H(Y_test) in bits for the ceiling
 * @returns a Vega-Lite spec
 */
export function sweepSpec(points: readonly SweepPoint[], options: { readonly labelEntropyBits?: number } = {}): VegaLiteSpec {
  const hy = options.labelEntropyBits;
  const ceiling = hy === undefined
    ? []
    : [
        { data: { values: [{ hy }] }, mark: { type: 'rule', strokeDash: [6, 4], color: 'gray' }, encoding: { y: { field: 'hy', type: 'quantitative' } } },
        {
          data: { values: [{ hy, label: `H(Y_test) = ${hy.toFixed(3)} bits` }] },
          mark: { type: 'text', align: 'right', dy: -6, color: 'gray', x: 'width' },
          encoding: { y: { field: 'hy', type: 'quantitative' }, text: { field: 'label' } },
        },
      ];
  const values = points.map((p) => ({ ...p, betaLabel: String(Number(p.beta.toPrecision(3))) }));
  const classification = points.some((p) => p.accuracy !== null);
  const scoreField = classification ? 'accuracy' : 'reconstructionNats';
  const positive = (xs: number[]) => xs.every((v) => v > 0);
  // a zero rate cannot sit on a log axis: fall back to symlog
  const rateScale = positive(points.map((p) => p.rateBits)) ? { type: 'log' } : { type: 'symlog' };
  // one colour per β, shared by both panels, so no text labels collide when points bunch up
  const betaColor = {
    field: 'betaLabel',
    type: 'ordinal',
    sort: { field: 'beta', op: 'min', order: 'ascending' },
    scale: { scheme: 'viridis' },
    legend: { title: 'β', labelLimit: 1000 },
  };
  const points2 = (x: object, y: object) => [
    { mark: { type: 'line', color: 'lightgray' }, encoding: { order: { field: 'beta', type: 'quantitative' }, x, y } },
    { mark: { type: 'point', filled: true, size: 80, opacity: 1 }, encoding: { x, y, color: betaColor } },
  ];
  const left = classification
    ? {
        title: 'IB curve (test set)',
        layer: [
          ...points2(
            { field: 'rateBits', type: 'quantitative', title: 'I(X;Z) ≤ test rate KL(p(z|x) ‖ r(z)) (bits)', scale: rateScale },
            { field: 'izyBits', type: 'quantitative', title: 'I(Z;Y) ≥ H(Y_test) − test CE (bits)', scale: { zero: true, ...(hy !== undefined ? { domainMax: hy * 1.12 } : {}) } },
          ),
          ...ceiling,
        ],
        width: 360,
        height: 260,
      }
    : null;
  const right = {
    title: classification ? 'test accuracy vs β' : 'reconstruction vs β',
    layer: points2(
      // β as an ordered category: the grid is what the user chose (log-spaced, or with β = 0), so each gets a tick
      { field: 'betaLabel', type: 'ordinal', title: 'β', sort: { field: 'beta', op: 'min', order: 'ascending' }, axis: { labelAngle: 0 } },
      { field: scoreField, type: 'quantitative', title: classification ? 'test accuracy (mean code)' : 'test −log p(x|z), mean code (nats)', scale: { zero: false } },
    ),
    width: 360,
    height: 260,
  };
  return { title: 'β sweep', data: { values }, hconcat: left ? [left, right] : [right] };
}

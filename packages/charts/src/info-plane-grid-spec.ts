import type { PlaneSpecPoint } from './info-plane-spec.js';

/**
 * A point of an information-plane grid: a point of one plane ({@link PlaneSpecPoint}: a layer at an epoch, in bits,
 * a mean over seeds or one seed's value) in one panel, with an optional spread over seeds.
 */
export interface PlaneGridPoint extends PlaneSpecPoint {
  /** The panel's column (e.g. the activation: `tanh`, `relu`). */
  readonly column: string;
  /** The panel's row (e.g. the estimator and the inputs it saw); one row when omitted. */
  readonly row?: string;
  /** Standard deviation of I(X;T) over seeds, bits: drawn as a horizontal bar ± 1 sd. */
  readonly ixtSdBits?: number;
  /** Standard deviation of I(T;Y) over seeds, bits: drawn as a vertical bar ± 1 sd. */
  readonly itySdBits?: number;
}

/** Options of {@link infoPlaneGridSpec}. */
export interface PlaneGridOptions {
  /** Upper end of the I(X;T) axis in every panel (e.g. log2 of the number of inputs); data-driven when omitted. */
  readonly ixtMaxBits?: number;
  /** Upper end of the I(T;Y) axis in every panel (e.g. H(Y)); data-driven when omitted. */
  readonly ityMaxBits?: number;
  /** Title of the chart. */
  readonly title?: string;
  /** A smaller line under the title (what was measured, over how many seeds). */
  readonly subtitle?: string;
  /** Width and height of one panel in pixels (default 300 × 220). */
  readonly panel?: { readonly width: number; readonly height: number };
}

/**
 * A Vega-Lite grid of information planes (Shwartz-Ziv & Tishby 2017; Saxe et al. 2018 set tanh and ReLU side by
 * side): one panel per column (and row), every layer a trajectory from its first epoch to its last, each point
 * coloured by epoch, I(X;T) across and I(T;Y) up in bits. All panels share both axes (fixed to [0, max] when the
 * maxima are given), so a ReLU panel is not stretched to look like the tanh one. Points averaged over seeds carry
 * ± 1 sd bars in both directions.
 * @param points - the points, any order
 * @param options - axis maxima, title, panel size
 * @returns the Vega-Lite spec (plain JSON)
 * @example
 * ```ts
 * import { infoPlaneGridSpec } from '@vib/charts';
 * infoPlaneGridSpec([{ column: 'tanh', layer: 'layer 1', epoch: 1, ixtBits: 9, ityBits: 0.4, ixtSdBits: 0.2 }], { ixtMaxBits: 12, ityMaxBits: 1 });
 * ```
 */
export function infoPlaneGridSpec(points: readonly PlaneGridPoint[], options: PlaneGridOptions = {}) {
  const layers = [...new Set(points.map((p) => p.layer))];
  const maxEpoch = Math.max(2, ...points.map((p) => p.epoch));
  const values = points.map((p) => {
    const sx = p.ixtSdBits ?? 0;
    const sy = p.itySdBits ?? 0;
    return { ...p, row: p.row ?? '', ixtLo: p.ixtBits - sx, ixtHi: p.ixtBits + sx, ityLo: p.ityBits - sy, ityHi: p.ityBits + sy, ixtSdBits: sx, itySdBits: sy };
  });
  const domain = (max: number | undefined) => (max === undefined ? { zero: true, nice: true } : { domain: [0, max], nice: false });
  const bar = { type: 'rule', strokeWidth: 1, opacity: 0.6 } as const;
  const epochColor = { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { scheme: 'viridis', domain: [1, maxEpoch] } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title === undefined ? {} : { title: { text: options.title, ...(options.subtitle === undefined ? {} : { subtitle: options.subtitle }), anchor: 'start' } }),
    background: 'white',
    data: { values },
    facet: {
      column: { field: 'column', type: 'nominal', title: null },
      row: { field: 'row', type: 'nominal', title: null },
    },
    spec: {
      width: options.panel?.width ?? 300,
      height: options.panel?.height ?? 220,
      encoding: {
        x: { field: 'ixtBits', type: 'quantitative', title: 'I(X;T), bits', scale: domain(options.ixtMaxBits) },
        y: { field: 'ityBits', type: 'quantitative', title: 'I(T;Y), bits', scale: domain(options.ityMaxBits) },
      },
      layer: [
        { mark: { type: 'line', strokeWidth: 1.2, opacity: 0.5, color: '#888' }, encoding: { detail: { field: 'layer', type: 'nominal' }, order: { field: 'epoch', type: 'quantitative' } } },
        { mark: bar, encoding: { x: { field: 'ixtLo', type: 'quantitative' }, x2: { field: 'ixtHi' }, color: epochColor } },
        { mark: bar, encoding: { y: { field: 'ityLo', type: 'quantitative' }, y2: { field: 'ityHi' }, color: epochColor } },
        {
          mark: { type: 'point', filled: true, size: 40, stroke: '#222', strokeWidth: 0.3 },
          encoding: {
            color: epochColor,
            shape: { field: 'layer', type: 'nominal', title: 'layer', scale: { domain: layers } },
            tooltip: [
              { field: 'layer', type: 'nominal' },
              { field: 'epoch', type: 'quantitative' },
              { field: 'ixtBits', type: 'quantitative', title: 'I(X;T) bits', format: '.3f' },
              { field: 'ixtSdBits', type: 'quantitative', title: 'sd', format: '.3f' },
              { field: 'ityBits', type: 'quantitative', title: 'I(T;Y) bits', format: '.3f' },
              { field: 'itySdBits', type: 'quantitative', title: 'sd', format: '.3f' },
            ],
          },
        },
      ],
    },
    resolve: { scale: { x: 'shared', y: 'shared' } },
  } as const;
}

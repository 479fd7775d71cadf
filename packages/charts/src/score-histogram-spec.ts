/** Binned reference scores, as `histogram` from `@vib/core` returns them. */
export interface HistogramBins {
  /** Bin edges, ascending (`counts.length + 1` of them). */
  readonly edges: readonly number[];
  /** Values per bin. */
  readonly counts: readonly number[];
}

/** Options of {@link scoreHistogramSpec}. */
export interface ScoreHistogramOptions {
  /** Axis title of the score, with its unit (e.g. `rate KL(p(z|x) ‖ r(z)), bits`). */
  readonly scoreTitle: string;
  /** What the bars count (e.g. `training digits`). */
  readonly countTitle: string;
  /** One input's score, drawn as a vertical rule with a label; none drawn when omitted. */
  readonly marked?: { readonly value: number; readonly label: string };
  /** Width in pixels, or `container` (default 360). */
  readonly width?: number | 'container';
  /** Height in pixels (default 180). */
  readonly height?: number;
}

/**
 * A Vega-Lite histogram of reference scores (e.g. the rates of the training inputs) with one input's score marked,
 * the picture of Alemi, Fischer & Dillon (2018): an input whose rate lies far in the training rates' tail is one the
 * encoder finds unusual. The x axis spans the bins and the marked value, so a marked value beyond the training range
 * stays visible.
 * @param bins - edges and counts
 * @param options - titles, the marked score, size
 * @returns the Vega-Lite spec
 * @example
 * ```ts
 * import { scoreHistogramSpec } from '@vib/charts';
 * scoreHistogramSpec({ edges: [0, 1, 2], counts: [5, 3] }, { scoreTitle: 'rate, bits', countTitle: 'training digits', marked: { value: 2.5, label: 'your digit' } });
 * ```
 */
export function scoreHistogramSpec(bins: HistogramBins, options: ScoreHistogramOptions) {
  const values = bins.counts.map((count, i) => ({ lo: bins.edges[i] ?? 0, hi: bins.edges[i + 1] ?? 0, count }));
  const lo = Math.min(bins.edges[0] ?? 0, options.marked?.value ?? Infinity);
  const hi = Math.max(bins.edges.at(-1) ?? 0, options.marked?.value ?? -Infinity);
  const pad = (hi - lo) * 0.04 || 0.5;
  const x = { type: 'quantitative', title: options.scoreTitle, scale: { domain: [lo - pad, hi + pad], nice: false, zero: false } } as const;
  const marks: object[] = [
    {
      data: { values },
      mark: { type: 'rect', color: '#4e79a7', opacity: 0.8 },
      encoding: {
        x: { field: 'lo', ...x },
        x2: { field: 'hi' },
        y: { field: 'count', type: 'quantitative', title: options.countTitle },
        tooltip: [{ field: 'lo', title: 'from', format: '.2f' }, { field: 'hi', title: 'to', format: '.2f' }, { field: 'count', title: options.countTitle }],
      },
    },
  ];
  if (options.marked) {
    const m = [{ value: options.marked.value, label: options.marked.label }];
    marks.push({ data: { values: m }, mark: { type: 'rule', color: '#e15759', strokeWidth: 2 }, encoding: { x: { field: 'value', ...x } } });
    marks.push({ data: { values: m }, mark: { type: 'text', color: '#e15759', align: 'left', dx: 4, dy: -4, baseline: 'bottom' }, encoding: { x: { field: 'value', ...x }, y: { value: 0 }, text: { field: 'label' } } });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: options.width ?? 360,
    height: options.height ?? 180,
    background: null,
    layer: marks,
  };
}

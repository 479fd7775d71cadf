import type { VegaLiteSpec } from './render-plot.js';

/** One run's curves for the comparison plot. */
export interface CompareSeries {
  /** Legend label (run id, and β when fixed). */
  readonly label: string;
  readonly epochs: readonly { readonly epoch: number; readonly metrics: Readonly<Record<string, unknown>> }[];
}

/** The per-epoch metrics drawn, with their panel titles. */
const PANELS: readonly [string, string][] = [
  ['loss', 'training loss (nats)'],
  ['testAccuracy', 'test accuracy (mean code)'],
  ['reconstructionNats', 'test reconstruction (nats)'],
  ['rateBits', 'rate, ≥ I(X;Z) (bits)'],
  ['izyBits', 'H(Y) − CE, ≤ I(Z;Y) (bits)'],
];

/**
 * Overlaid per-epoch curves of several runs: one panel per metric that any run has, one colour per run.
 * @param series - the runs
 * @returns a Vega-Lite spec
 */
export function compareSpec(series: readonly CompareSeries[]): VegaLiteSpec {
  const values = series.flatMap((s) => s.epochs.flatMap((e) => PANELS
    .map(([kind]) => ({ kind, v: e.metrics[kind] }))
    .filter((p): p is { kind: string; v: number } => typeof p.v === 'number' && Number.isFinite(p.v))
    .map((p) => ({ run: s.label, epoch: e.epoch, kind: p.kind, value: p.v }))));
  const present = PANELS.filter(([kind]) => values.some((v) => v.kind === kind));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: { values },
    hconcat: present.map(([kind, title]) => ({
      title,
      transform: [{ filter: `datum.kind === '${kind}'` }],
      mark: { type: 'line', point: true },
      width: 300,
      height: 220,
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'value', type: 'quantitative', title, scale: { zero: false } },
        color: { field: 'run', type: 'nominal', legend: { orient: 'bottom', direction: 'vertical', labelLimit: 1000, title: null } },
      },
    })),
  };
}

import { BOTTLENECK_LAYER, infoPlanePanel } from '@vib/charts';
import type { VegaLiteSpec } from './render-plot.js';

/** The per-epoch numbers the training plots read (a subset of @vib/tasks' EpochMetrics). */
export interface PlotEpoch {
  readonly epoch: number;
  readonly loss: number;
  readonly taskLoss: number;
  readonly testLoss: number;
  readonly trainAccuracy: number | null;
  readonly testAccuracy: number | null;
  readonly reconstructionNats: number | null;
  readonly rateBits: number;
  readonly izyBits: number | null;
  readonly klPerDimNats: readonly number[] | null;
}

const W = 380;
const H = 240;
/** Legends sit under each panel and never cut a label (Vega's default labelLimit is 160 px). */
const legend = { orient: 'bottom', direction: 'vertical', labelLimit: 1000, title: null };
const epochAxis = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } };

const line = (kind: string, title: string, extra: Record<string, unknown> = {}) => ({
  title,
  mark: { type: 'line', point: true },
  encoding: {
    x: epochAxis,
    y: { field: 'value', type: 'quantitative', title, scale: { zero: false } },
    color: { field: 'series', type: 'nominal', legend },
  },
  transform: [{ filter: `datum.kind === '${kind}'` }],
  width: W,
  height: H,
  ...extra,
});

const rows = (history: readonly PlotEpoch[], pick: (e: PlotEpoch) => [string, string, number | null][]) =>
  history.flatMap((e) => pick(e).filter(([, , v]) => v !== null && Number.isFinite(v)).map(([kind, series, value]) => ({ epoch: e.epoch, kind, series, value })));

/**
 * Loss curves and accuracy curves per epoch, side by side, each panel with its own legend.
 * The loss panel compares like with like: the training task loss −log q(y|z) (sampled z, epoch mean, without
 * the β·KL term) against the test −log q(y|z) with the mean code.
 * @param history - per-epoch metrics
 * @returns a Vega-Lite spec
 */
export function curvesSpec(history: readonly PlotEpoch[]): VegaLiteSpec {
  const values = rows(history, (e) => [
    ['loss', 'train −log q(y|z), sampled z (epoch mean)', e.taskLoss],
    ['loss', 'test −log q(y|z), mean z', e.testLoss],
    ['acc', 'train accuracy, sampled z (epoch mean)', e.trainAccuracy],
    ['acc', 'test accuracy, mean z', e.testAccuracy],
  ]);
  const hasAcc = values.some((v) => v.kind === 'acc');
  return {
    title: 'Training curves',
    data: { values },
    hconcat: [line('loss', 'loss (nats)'), ...(hasAcc ? [line('acc', 'accuracy')] : [])],
    resolve: { scale: { color: 'independent' } },
  };
}

/** Options of {@link informationSpec}. */
export interface InformationPlotOptions {
  /** H(Y) of the training labels in bits: the ceiling of the I(Z;Y) bound, drawn dashed. */
  readonly labelEntropyBits?: number;
}

/**
 * The two information bounds per epoch, each on its own axis (the rate is tens of bits, the I(Z;Y) bound at
 * most log₂ 10 ≈ 3.3 bits, so one axis would flatten the second): the rate KL(p(z|x) ‖ r(z)) ≥ I(X;Z); the
 * bound H(Y) − CE ≤ I(Z;Y) with H(Y) as a dashed ceiling; and the two together as an information plane, one
 * point per epoch coloured by epoch (the shared plane of @vib/charts, as the web demo draws it). Reconstruction
 * runs get the rate panel only.
 * @param history - per-epoch metrics (training figures)
 * @param options - H(Y) for the ceiling
 * @returns a Vega-Lite spec
 */
export function informationSpec(history: readonly PlotEpoch[], options: InformationPlotOptions = {}): VegaLiteSpec {
  const values = history.map((e) => ({ epoch: e.epoch, rateBits: e.rateBits, izyBits: e.izyBits }));
  const rate = {
    title: 'rate (train): KL(p(z|x) ‖ r(z)) ≥ I(X;Z)',
    mark: { type: 'line', point: { color: '#e45756' }, color: '#e45756' },
    encoding: { x: epochAxis, y: { field: 'rateBits', type: 'quantitative', title: 'rate (bits)', scale: { zero: false } } },
    width: W,
    height: H,
  };
  if (!history.some((e) => e.izyBits !== null)) {
    return { title: 'Information per epoch (bits)', data: { values }, hconcat: [rate] };
  }
  const hy = options.labelEntropyBits;
  const izy = {
    title: 'I(Z;Y) ≥ H(Y) − CE (train)',
    width: W,
    height: H,
    layer: [
      {
        mark: { type: 'line', point: true, color: '#4c78a8' },
        encoding: { x: epochAxis, y: { field: 'izyBits', type: 'quantitative', title: 'H(Y) − CE (bits)', ...(hy !== undefined ? { scale: { zero: true, domainMax: hy * 1.12 } } : {}) } },
      },
      ...(hy !== undefined
        ? [
            { data: { values: [{ hy }] }, mark: { type: 'rule', strokeDash: [6, 4], color: 'gray' }, encoding: { y: { field: 'hy', type: 'quantitative' } } },
            {
              data: { values: [{ hy, label: `H(Y) = ${hy.toFixed(3)} bits` }] },
              mark: { type: 'text', align: 'right', dy: -6, color: 'gray', x: 'width' },
              encoding: { y: { field: 'hy', type: 'quantitative' }, text: { field: 'label' } },
            },
          ]
        : []),
    ],
  };
  // the web demo's plane, from the same @vib/charts spec: the bottleneck's bounds, one point per epoch
  const plane = infoPlanePanel(
    history.flatMap((e) => (e.izyBits === null ? [] : [{ layer: BOTTLENECK_LAYER, epoch: e.epoch, ixtBits: e.rateBits, ityBits: e.izyBits }])),
    // its points are the two bounds, not estimates of I(X;Z) and I(Z;Y): the axes say so
    { title: 'information plane (train), one point per epoch', width: W, height: H, axisTitles: { x: 'rate ≥ I(X;Z), bits', y: 'H(Y) − CE ≤ I(Z;Y), bits' } },
  );
  return { title: 'Information per epoch (bits)', data: { values }, hconcat: [rate, izy, plane] };
}

/**
 * KL per latent dimension at the last epoch, sorted high to low: which dimensions carry information.
 * @param klPerDimNats - mean KL per dimension in nats
 * @returns a Vega-Lite spec
 */
export function klPerDimSpec(klPerDimNats: readonly number[]): VegaLiteSpec {
  const values = klPerDimNats
    .map((nats, dim) => ({ dim, bits: nats / Math.LN2 }))
    .sort((a, b) => b.bits - a.bits)
    .map((v, rank) => ({ ...v, rank }));
  return {
    title: 'KL per latent dimension, last epoch, training mean (bits, sorted)',
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'rank', type: 'ordinal', title: 'latent dimension (by KL)', axis: values.length > 24 ? { labels: false, ticks: false } : {} },
      y: { field: 'bits', type: 'quantitative', title: 'KL (bits)' },
      tooltip: [{ field: 'dim' }, { field: 'bits' }],
    },
    // at least as wide as its title, so a small K does not leave a narrow plot under a wide title
    width: Math.min(800, Math.max(420, values.length * 8)),
    height: H,
  };
}

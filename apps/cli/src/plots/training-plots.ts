import type { VegaLiteSpec } from './render-plot.js';

/** The per-epoch numbers the training plots read (a subset of @vib/tasks' EpochMetrics). */
export interface PlotEpoch {
  readonly epoch: number;
  readonly loss: number;
  readonly testLoss: number;
  readonly trainAccuracy: number | null;
  readonly testAccuracy: number | null;
  readonly reconstructionNats: number | null;
  readonly rateBits: number;
  readonly izyBits: number | null;
  readonly klPerDimNats: readonly number[] | null;
}

const W = 420;
const H = 240;
const line = (field: string, title: string) => ({
  mark: { type: 'line', point: true },
  encoding: {
    x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
    y: { field: 'value', type: 'quantitative', title, scale: { zero: false } },
    color: { field: 'series', type: 'nominal', title: null },
  },
  transform: [{ filter: `datum.kind === '${field}'` }],
  width: W,
  height: H,
});

const rows = (history: readonly PlotEpoch[], pick: (e: PlotEpoch) => [string, string, number | null][]) =>
  history.flatMap((e) => pick(e).filter(([, , v]) => v !== null && Number.isFinite(v)).map(([kind, series, value]) => ({ epoch: e.epoch, kind, series, value })));

/**
 * Loss curves (train loss, test −log q(y|z)) and accuracy curves (train, test) per epoch, side by side.
 * @param history - per-epoch metrics
 * @returns a Vega-Lite spec
 */
export function curvesSpec(history: readonly PlotEpoch[]): VegaLiteSpec {
  const values = rows(history, (e) => [
    ['loss', 'train loss (nats)', e.loss],
    ['loss', 'test loss (nats)', e.testLoss],
    ['acc', 'train accuracy', e.trainAccuracy],
    ['acc', 'test accuracy', e.testAccuracy],
  ]);
  const hasAcc = values.some((v) => v.kind === 'acc');
  return { title: 'Training curves', data: { values }, hconcat: [line('loss', 'loss (nats)'), ...(hasAcc ? [line('acc', 'accuracy')] : [])] };
}

/**
 * The rate (upper bound on I(X;Z)) and the H(Y) − CE lower bound on I(Z;Y), in bits, per epoch.
 * @param history - per-epoch metrics
 * @returns a Vega-Lite spec
 */
export function informationSpec(history: readonly PlotEpoch[]): VegaLiteSpec {
  const values = rows(history, (e) => [
    ['info', 'rate KL (≥ I(X;Z))', e.rateBits],
    ['info', 'H(Y) − CE (≤ I(Z;Y))', e.izyBits],
  ]);
  return { title: 'Information bounds per epoch (bits)', data: { values }, ...line('info', 'bits') };
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
    title: 'KL per latent dimension, last epoch (bits, sorted)',
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'rank', type: 'ordinal', title: 'latent dimension (by KL)', axis: values.length > 40 ? { labels: false, ticks: false } : {} },
      y: { field: 'bits', type: 'quantitative', title: 'KL (bits)' },
      tooltip: [{ field: 'dim' }, { field: 'bits' }],
    },
    width: Math.min(800, Math.max(200, values.length * 6)),
    height: H,
  };
}

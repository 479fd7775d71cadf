import type { EpochRecord } from '../metrics/epoch-record.js';
import { BOTTLENECK_LAYER, atIxtCeiling, infoPlaneSpec, type PlaneSpecPoint } from '@vib/charts';
import { VegaChart } from './vega-chart.js';

/** One point on the information plane. */
export interface PlanePoint {
  readonly epoch: number;
  /** x: I(X;Z) upper bound (rate) or a layer's I(X;T) estimate, bits. */
  readonly xBits: number;
  /** y: I(Z;Y) lower bound or a layer's I(T;Y) estimate, bits. */
  readonly yBits: number;
}

/** What the information plane draws: the bottleneck's bounds and each hidden layer's estimates. */
export interface InfoPlaneData {
  readonly bottleneck: readonly PlanePoint[];
  readonly layers: readonly { readonly layer: string; readonly points: readonly PlanePoint[] }[];
  /** log2 n for the layers' estimates on n inputs: their I(X;T) ceiling, drawn as a line (absent without layers). */
  readonly ixtCeilingBits?: number;
}

/**
 * Turn epoch records into information-plane points (one per epoch, and per layer where given).
 * @param records - the epochs so far
 * @returns the plane's data
 */
export function infoPlaneData(records: readonly EpochRecord[]): InfoPlaneData {
  const byLayer = new Map<string, PlanePoint[]>();
  let inputs = 0;
  for (const r of records) {
    for (const l of r.layers ?? []) {
      const pts = byLayer.get(l.layer) ?? [];
      pts.push({ epoch: r.epoch, xBits: l.ixtBits, yBits: l.ityBits });
      byLayer.set(l.layer, pts);
      inputs = Math.max(inputs, l.inputs ?? 0);
    }
  }
  return {
    bottleneck: records.map((r) => ({ epoch: r.epoch, xBits: r.rateBits, yBits: r.izyBits })),
    layers: [...byLayer].map(([layer, points]) => ({ layer, points })),
    ...(inputs > 0 ? { ixtCeilingBits: Math.log2(inputs) } : {}),
  };
}

/**
 * The layers' points whose I(X;T) sits at log2 n: every input in a bin of its own, so the estimate is H(X) and shows
 * no compression (Saxe et al. 2018).
 * @param data - what {@link infoPlaneData} returned
 * @returns the count (0 without a ceiling)
 */
export function pointsAtCeiling(data: InfoPlaneData): number {
  const c = data.ixtCeilingBits;
  if (c === undefined) return 0;
  return data.layers.reduce((n, l) => n + l.points.filter((p) => atIxtCeiling(p.xBits, c)).length, 0);
}

/**
 * The plane's data as the spec's points: each hidden layer's estimates, then the bottleneck's bounds.
 * @param data - what {@link infoPlaneData} returned
 * @returns one point per layer and epoch
 */
export function planePoints(data: InfoPlaneData): PlaneSpecPoint[] {
  const pts: PlaneSpecPoint[] = data.layers.flatMap((l) => l.points.map((p) => ({ layer: l.layer, epoch: p.epoch, ixtBits: p.xBits, ityBits: p.yBits })));
  for (const p of data.bottleneck) pts.push({ layer: BOTTLENECK_LAYER, epoch: p.epoch, ixtBits: p.xBits, ityBits: p.yBits });
  return pts;
}

/**
 * The information plane (Shwartz-Ziv & Tishby, 2017), drawn with Vega-Lite from {@link infoPlaneSpec}:
 * every layer's trajectory on shared axes, coloured by epoch.
 */
export class InfoPlane {
  /** The data last drawn. */
  data: InfoPlaneData = { bottleneck: [], layers: [] };
  /** Resolves when the last update is on screen. */
  drawn: Promise<void> = Promise.resolve();
  private readonly chart: VegaChart;

  /** @param el - the container */
  constructor(private readonly el: HTMLElement) {
    this.chart = new VegaChart(el);
  }

  /**
   * Replace the data and redraw.
   * @param data - points
   */
  update(data: InfoPlaneData): void {
    this.data = data;
    this.draw();
  }

  /** Redraw the current data at the container's width. */
  draw(): void {
    const width = Math.max(240, this.el.clientWidth || 420);
    const points = planePoints(this.data);
    const ceiling = this.data.ixtCeilingBits;
    const at = pointsAtCeiling(this.data);
    const label =
      points.length === 0
        ? 'Information plane: no epochs yet'
        : `Information plane: ${new Set(points.map((p) => p.layer)).size} trajectories over ${Math.max(...points.map((p) => p.epoch))} epochs` +
          (ceiling === undefined ? '' : `; ${at} layer estimate(s) at the I(X;T) ceiling log2 n = ${ceiling.toFixed(2)} bits, which show no compression`);
    const spec = infoPlaneSpec(points, { width, height: Math.min(340, Math.max(240, width * 0.62)), ...(ceiling === undefined ? {} : { ixtCeilingBits: ceiling }) });
    this.drawn = this.chart.render(spec, label);
  }
}

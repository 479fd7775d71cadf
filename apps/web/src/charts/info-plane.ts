import type { EpochRecord } from '../metrics/epoch-record.js';
import { classColor, rampColor } from './palette.js';
import { drawFrame, drawLegend } from './plot-frame.js';
import { extent } from './ticks.js';

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
}

/**
 * Turn epoch records into information-plane points (one per epoch, and per layer where given).
 * @param records - the epochs so far
 * @returns the plane's data
 */
export function infoPlaneData(records: readonly EpochRecord[]): InfoPlaneData {
  const byLayer = new Map<string, PlanePoint[]>();
  for (const r of records) {
    for (const l of r.layers ?? []) {
      const pts = byLayer.get(l.layer) ?? [];
      pts.push({ epoch: r.epoch, xBits: l.ixtBits, yBits: l.ityBits });
      byLayer.set(l.layer, pts);
    }
  }
  return {
    bottleneck: records.map((r) => ({ epoch: r.epoch, xBits: r.rateBits, yBits: r.izyBits })),
    layers: [...byLayer].map(([layer, points]) => ({ layer, points })),
  };
}

/** The information plane (Shwartz-Ziv & Tishby, 2017): I(X;Z) against I(Z;Y), one point per epoch. */
export class InfoPlane {
  /** The data last drawn. */
  data: InfoPlaneData = { bottleneck: [], layers: [] };

  /** @param canvas - where to draw */
  constructor(private readonly canvas: HTMLCanvasElement) {}

  /**
   * Replace the data and redraw.
   * @param data - points
   */
  update(data: InfoPlaneData): void {
    this.data = data;
    this.draw();
  }

  /** Redraw the current data. */
  draw(): void {
    const all = [...this.data.bottleneck, ...this.data.layers.flatMap((l) => l.points)];
    const [x0, x1] = extent([0, ...all.map((p) => p.xBits)], 0.06);
    const [y0, y1] = extent([0, ...all.map((p) => p.yBits)], 0.08);
    // The I(Z;Y) bound is negative while the classifier is worse than the label marginal: show it.
    const f = drawFrame(this.canvas, { x: [Math.min(0, x0), x1], y: [Math.min(0, y0), y1], xLabel: 'I(X;Z) upper bound (rate), bits', yLabel: 'I(Z;Y) lower bound, bits' });
    const { ctx } = f;
    const maxEpoch = Math.max(1, ...all.map((p) => p.epoch));
    const trail = (pts: readonly PlanePoint[], stroke: string, radius: number, byEpoch: boolean): void => {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 1.2;
      ctx.beginPath();
      pts.forEach((p, i) => (i === 0 ? ctx.moveTo(f.px(p.xBits), f.py(p.yBits)) : ctx.lineTo(f.px(p.xBits), f.py(p.yBits))));
      ctx.stroke();
      for (const p of pts) {
        // Bottleneck points run dark → light with the epoch; layer points keep their layer's colour and fade in.
        ctx.fillStyle = byEpoch ? rampColor(p.epoch / maxEpoch) : stroke;
        ctx.globalAlpha = byEpoch ? 1 : 0.35 + (0.65 * p.epoch) / maxEpoch;
        ctx.beginPath();
        ctx.arc(f.px(p.xBits), f.py(p.yBits), radius, 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
    };
    this.data.layers.forEach((l, i) => trail(l.points, classColor(i + 1), 3, false));
    trail(this.data.bottleneck, 'rgba(120,120,120,0.7)', 4.5, true);
    const legend = [{ label: 'bottleneck Z (bounds)', color: rampColor(1) }];
    this.data.layers.forEach((l, i) => legend.push({ label: `${l.layer} (binning)`, color: classColor(i + 1) }));
    drawLegend(f, legend);
  }
}

import { drawFrame } from './plot-frame.js';
import { extent } from './ticks.js';

/** One named line of [x, y] points. */
export interface LineSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

/** Options of a {@link LineChart}. */
export interface LineChartOptions {
  readonly xLabel: string;
  readonly yLabel: string;
  /** Fixed y range; otherwise fitted to the data. */
  readonly yRange?: readonly [number, number];
  /** Fixed x range; otherwise epochs 1.. fitted to the data. */
  readonly xRange?: readonly [number, number];
}

/** Lines over epochs (accuracy, loss, β), drawn on a canvas; keeps the data it was given. */
export class LineChart {
  /** The series last drawn (read by tests and `window.__vibDemo`). */
  data: readonly LineSeries[] = [];

  /**
   * @param canvas - where to draw
   * @param options - axis titles and range
   */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly options: LineChartOptions,
  ) {}

  /**
   * Replace the data and redraw.
   * @param series - the lines
   */
  update(series: readonly LineSeries[]): void {
    this.data = series;
    this.draw();
  }

  /** Redraw the current data (e.g. after a resize). */
  draw(): void {
    const xs = this.data.flatMap((s) => s.points.map((p) => p[0]));
    const ys = this.data.flatMap((s) => s.points.map((p) => p[1]));
    const f = drawFrame(this.canvas, {
      x: this.options.xRange ?? (xs.length > 0 ? [Math.min(1, ...xs), Math.max(2, ...xs)] : [1, 10]),
      y: this.options.yRange ?? extent(ys, 0.08),
      xLabel: this.options.xLabel,
      yLabel: this.options.yLabel,
      integerX: this.options.xRange === undefined,
      ...(this.data.length > 1 ? { legend: this.data } : {}),
    });
    const { ctx } = f;
    for (const s of this.data) {
      ctx.strokeStyle = s.color;
      ctx.fillStyle = s.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      s.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(f.px(x), f.py(y)) : ctx.lineTo(f.px(x), f.py(y))));
      ctx.stroke();
      for (const [x, y] of s.points) {
        ctx.beginPath();
        ctx.arc(f.px(x), f.py(y), 2.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  }
}

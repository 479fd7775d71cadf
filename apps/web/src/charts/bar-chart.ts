import { drawFrame } from './plot-frame.js';

/** Bars of one value per index (the KL of each latent dimension); keeps the data it was given. */
export class BarChart {
  /** The values last drawn. */
  data: readonly number[] = [];

  /**
   * @param canvas - where to draw
   * @param xLabel - title under the bars
   * @param yLabel - title of the values (settable: e.g. to mark an estimate)
   * @param color - bar colour
   */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly xLabel: string,
    public yLabel: string,
    private readonly color = '#4e79a7',
  ) {}

  /**
   * Replace the values and redraw.
   * @param values - one value per bar
   */
  update(values: readonly number[]): void {
    this.data = values;
    this.draw();
  }

  /** Redraw the current values. */
  draw(): void {
    const n = Math.max(1, this.data.length);
    const top = Math.max(1e-3, ...this.data.filter(Number.isFinite)) * 1.1;
    const f = drawFrame(this.canvas, { x: [-0.5, n - 0.5], y: [0, top], xLabel: this.xLabel, yLabel: this.yLabel });
    const { ctx } = f;
    const bw = (f.width / n) * 0.7;
    ctx.fillStyle = this.color;
    this.data.forEach((v, i) => {
      const x = f.px(i) - bw / 2;
      ctx.fillRect(x, f.py(v), bw, f.py(0) - f.py(v));
    });
  }
}

import { ellipsePoint, type Ellipse } from '@vib/tasks';
import { classColor } from './palette.js';
import { drawFrame } from './plot-frame.js';

/** The 2-D latent picture: codes, their 95% ellipses, and the classifier's entropy underneath. */
export interface LatentPlotData {
  /** Plot range, the same for both axes. */
  readonly range: readonly [number, number];
  /** Entropy H(q(y|z)) in nats on a grid×grid lattice over the range, row-major from the top row. */
  readonly entropy: Float32Array;
  /** Lattice size. */
  readonly grid: number;
  /** log(number of classes): the entropy's maximum, for the colour scale. */
  readonly maxEntropy: number;
  /** One entry per test code. */
  readonly codes: readonly { readonly label: number; readonly ellipse: Ellipse }[];
}

/** Alemi et al. (2017), Figure 2: posterior means with 95% ellipses over the decoder's entropy. */
export class LatentPlot {
  /** The data last drawn. */
  data: LatentPlotData | null = null;

  /** @param canvas - where to draw */
  constructor(private readonly canvas: HTMLCanvasElement) {}

  /**
   * Replace the data and redraw.
   * @param data - the picture
   */
  update(data: LatentPlotData | null): void {
    this.data = data;
    this.draw();
  }

  /** Redraw the current data. */
  draw(): void {
    const d = this.data;
    const range = d?.range ?? [-3, 3];
    const f = drawFrame(this.canvas, { x: range, y: range, xLabel: 'z₁', yLabel: 'z₂', grid: false });
    if (!d) return;
    const { ctx } = f;
    const img = ctx.createImageData(d.grid, d.grid);
    for (let i = 0; i < d.grid * d.grid; i++) {
      const t = Math.min(1, (d.entropy[i] ?? 0) / (d.maxEntropy || 1));
      const g = Math.round(255 - 150 * t);
      img.data[4 * i] = g;
      img.data[4 * i + 1] = g;
      img.data[4 * i + 2] = Math.round(g * 0.97 + 8 * t);
      img.data[4 * i + 3] = 255;
    }
    const off = document.createElement('canvas');
    off.width = d.grid;
    off.height = d.grid;
    off.getContext('2d')?.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, f.left, f.top, f.width, f.height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(f.left, f.top, f.width, f.height);
    ctx.clip();
    ctx.lineWidth = 0.8;
    for (const c of d.codes) {
      ctx.strokeStyle = classColor(c.label) + '88';
      ctx.beginPath();
      for (let k = 0; k <= 24; k++) {
        const [x, y] = ellipsePoint(c.ellipse, (2 * Math.PI * k) / 24);
        if (k === 0) ctx.moveTo(f.px(x), f.py(y));
        else ctx.lineTo(f.px(x), f.py(y));
      }
      ctx.stroke();
    }
    for (const c of d.codes) {
      ctx.fillStyle = classColor(c.label);
      ctx.beginPath();
      ctx.arc(f.px(c.ellipse.cx), f.py(c.ellipse.cy), 2.2, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.restore();
    // Class key, top-right.
    const labels = [...new Set(d.codes.map((c) => c.label))].sort((a, b) => a - b);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    labels.forEach((label, i) => {
      const x = f.left + f.width - 12 - (labels.length - 1 - i) * 16;
      ctx.fillStyle = classColor(label);
      ctx.beginPath();
      ctx.arc(x, f.top + 10, 6.5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.fillStyle = '#fff';
      ctx.fillText(String(label), x, f.top + 10.5);
    });
  }
}

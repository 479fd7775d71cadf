import { formatTick, niceTicks } from './ticks.js';

/** Axis ranges and titles of a plot. */
export interface FrameSpec {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Draw a grid (default true). */
  readonly grid?: boolean;
  /** Only whole-number x ticks (epochs). */
  readonly integerX?: boolean;
  /** Legend entries, drawn in a band above the plot area (never over the data). */
  readonly legend?: readonly { readonly label: string; readonly color: string }[];
}

/** A plot area inside a canvas, mapping data to pixels. */
export interface Frame {
  readonly ctx: CanvasRenderingContext2D;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** Data x to pixel x. */
  px(x: number): number;
  /** Data y to pixel y. */
  py(y: number): number;
}

const MARGIN = { left: 48, right: 12, top: 10, bottom: 34 };

/**
 * Size a canvas to its CSS box at the device pixel ratio and return a 2-D context in CSS pixels.
 * @param canvas - the canvas
 * @returns the context and the CSS size
 */
export function prepareCanvas(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } {
  const dpr = globalThis.devicePixelRatio || 1;
  const w = canvas.clientWidth || 320;
  const h = canvas.clientHeight || 220;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gives no 2-D canvas context; charts cannot be drawn');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

/**
 * Clear a canvas and draw axes, ticks, grid and titles.
 * @param canvas - the canvas
 * @param spec - ranges and titles
 * @returns the frame for drawing data
 */
export function drawFrame(canvas: HTMLCanvasElement, spec: FrameSpec): Frame {
  const { ctx, w, h } = prepareCanvas(canvas);
  const left = MARGIN.left;
  const top = MARGIN.top + (spec.legend && spec.legend.length > 0 ? 16 : 0);
  const width = Math.max(10, w - MARGIN.left - MARGIN.right);
  const height = Math.max(10, h - top - MARGIN.bottom);
  const [x0, x1] = spec.x;
  const [y0, y1] = spec.y;
  const px = (x: number): number => left + ((x - x0) / (x1 - x0 || 1)) * width;
  const py = (y: number): number => top + height - ((y - y0) / (y1 - y0 || 1)) * height;
  const ink = getComputedStyle(canvas).color || '#333';
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.strokeStyle = 'rgba(128,128,128,0.18)';
  ctx.fillStyle = ink;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const xTicks = niceTicks(x0, x1, Math.max(2, Math.floor(width / 70))).filter((t) => !spec.integerX || Number.isInteger(t));
  for (const t of xTicks) {
    if (spec.grid !== false) line(ctx, px(t), top, px(t), top + height);
    ctx.fillText(formatTick(t), px(t), top + height + 4);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of niceTicks(y0, y1, Math.max(2, Math.floor(height / 40)))) {
    if (spec.grid !== false) line(ctx, left, py(t), left + width, py(t));
    ctx.fillText(formatTick(t), left - 5, py(t));
  }
  ctx.strokeStyle = 'rgba(128,128,128,0.6)';
  ctx.strokeRect(left + 0.5, top + 0.5, width, height);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(spec.xLabel, left + width / 2, h - 2);
  ctx.save();
  ctx.translate(11, top + height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(spec.yLabel, 0, 0);
  ctx.restore();
  const frame = { ctx, left, top, width, height, px, py };
  if (spec.legend && spec.legend.length > 0) drawLegend(frame, spec.legend);
  return frame;
}

/**
 * Draw a legend in one row in the band above a frame's plot area (see {@link FrameSpec.legend}).
 * @param f - the frame
 * @param items - label and colour of each entry
 */
export function drawLegend(f: Frame, items: readonly { label: string; color: string }[]): void {
  const { ctx } = f;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  let x = f.left;
  const y = f.top - 9;
  for (const it of items) {
    ctx.fillStyle = it.color;
    ctx.fillRect(x, y - 4, 12, 8);
    ctx.fillStyle = getComputedStyle(ctx.canvas).color || '#333';
    ctx.fillText(it.label, x + 16, y);
    x += 16 + ctx.measureText(it.label).width + 14;
  }
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(Math.round(x0) + 0.5, Math.round(y0) + 0.5);
  ctx.lineTo(Math.round(x1) + 0.5, Math.round(y1) + 0.5);
  ctx.stroke();
}

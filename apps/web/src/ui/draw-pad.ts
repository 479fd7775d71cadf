/** Side of the pad's ink buffer in pixels (4 × MNIST's 28, downsampled by `mnistStyleDigit`). */
export const PAD_SIDE = 112;
/** Brush radius in pad pixels: a stroke about 2.5 MNIST pixels wide, like the training digits'. */
const BRUSH = 5;
/** Keyboard cursor step in pad pixels (one MNIST pixel). */
const STEP = 4;

/**
 * A drawing pad: white ink on black, drawn with a mouse, pen or finger, or from the keyboard (arrow keys move a
 * cursor, Space or Enter inks under it, Shift+arrow moves while inking). Holds the ink as gray levels in [0, 1].
 */
export class DrawPad {
  /** Ink per pad pixel, row-major [PAD_SIDE, PAD_SIDE], in [0, 1]. */
  readonly ink = new Float32Array(PAD_SIDE * PAD_SIDE);
  private cursor: [number, number] = [PAD_SIDE / 2, PAD_SIDE / 2];
  private down = false;

  /**
   * @param canvas - a focusable canvas (tabindex 0) of PAD_SIDE × PAD_SIDE pixels
   * @param onChange - called after each stroke
   */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onChange: () => void = () => undefined,
  ) {
    canvas.width = canvas.height = PAD_SIDE;
    canvas.addEventListener('pointerdown', (e) => {
      this.down = true;
      canvas.setPointerCapture(e.pointerId);
      this.paintAt(e);
    });
    canvas.addEventListener('pointermove', (e) => this.down && this.paintAt(e));
    const up = () => {
      if (this.down) this.onChange();
      this.down = false;
    };
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);
    canvas.addEventListener('keydown', (e) => this.key(e));
    canvas.addEventListener('focus', () => this.render());
    canvas.addEventListener('blur', () => this.render());
    this.render();
  }

  /** Erase everything. */
  clear(): void {
    this.ink.fill(0);
    this.render();
    this.onChange();
  }

  /**
   * Fill the pad with uniform noise in [0, 1] (an input unlike any digit).
   * @param random - source of uniform numbers
   */
  noise(random: () => number = Math.random): void {
    for (let i = 0; i < this.ink.length; i++) this.ink[i] = random();
    this.render();
    this.onChange();
  }

  /** Whether anything is drawn. */
  isBlank(): boolean {
    return this.ink.every((v) => v === 0);
  }

  private paintAt(e: PointerEvent): void {
    const r = this.canvas.getBoundingClientRect();
    this.stamp(((e.clientX - r.left) / r.width) * PAD_SIDE, ((e.clientY - r.top) / r.height) * PAD_SIDE);
  }

  private stamp(cx: number, cy: number): void {
    for (let y = Math.floor(cy - BRUSH); y <= cy + BRUSH; y++) {
      for (let x = Math.floor(cx - BRUSH); x <= cx + BRUSH; x++) {
        if (x < 0 || y < 0 || x >= PAD_SIDE || y >= PAD_SIDE) continue;
        // a soft edge, as MNIST's anti-aliased strokes have
        const v = Math.min(1, Math.max(0, BRUSH + 0.5 - Math.hypot(x + 0.5 - cx, y + 0.5 - cy)));
        this.ink[y * PAD_SIDE + x] = Math.max(this.ink[y * PAD_SIDE + x] ?? 0, v);
      }
    }
    this.render();
  }

  private key(e: KeyboardEvent): void {
    const moves: Record<string, [number, number]> = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] };
    const m = moves[e.key];
    if (m) {
      const clamp = (v: number) => Math.min(PAD_SIDE - 1, Math.max(0, v));
      this.cursor = [clamp(this.cursor[0] + m[0]), clamp(this.cursor[1] + m[1])];
      if (e.shiftKey) this.stamp(...this.cursor);
      else this.render();
      if (e.shiftKey) this.onChange();
    } else if (e.key === ' ' || e.key === 'Enter') {
      this.stamp(...this.cursor);
      this.onChange();
    } else return;
    e.preventDefault();
  }

  private render(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(PAD_SIDE, PAD_SIDE);
    for (let i = 0; i < this.ink.length; i++) {
      const v = Math.round(255 * (this.ink[i] ?? 0));
      img.data.set([v, v, v, 255], 4 * i);
    }
    ctx.putImageData(img, 0, 0);
    if (document.activeElement === this.canvas) {
      ctx.strokeStyle = '#e15759';
      ctx.strokeRect(this.cursor[0] - BRUSH, this.cursor[1] - BRUSH, 2 * BRUSH, 2 * BRUSH);
    }
  }
}

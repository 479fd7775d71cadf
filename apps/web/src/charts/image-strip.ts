/** A row of grayscale images (decoded digits along an interpolation path). */
export class ImageStrip {
  /** The images last drawn, each row-major in [0, 1]. */
  data: readonly Float32Array[] = [];

  /**
   * @param canvas - where to draw
   * @param side - image side length in pixels of the data (28 for MNIST)
   */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly side = 28,
  ) {}

  /**
   * Replace the images and redraw them side by side, the `highlight`-th framed.
   * @param images - one Float32Array of side² values per image
   * @param highlight - index to frame, or -1
   */
  update(images: readonly Float32Array[], highlight = -1): void {
    this.data = images;
    this.canvas.classList.toggle('empty', images.length === 0);
    const s = this.side;
    const n = Math.max(1, images.length);
    this.canvas.width = n * (s + 2);
    this.canvas.height = s + 4;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#111';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    images.forEach((im, k) => {
      const img = ctx.createImageData(s, s);
      for (let i = 0; i < s * s; i++) {
        const v = Math.round(255 * Math.min(1, Math.max(0, im[i] ?? 0)));
        img.data[4 * i] = v;
        img.data[4 * i + 1] = v;
        img.data[4 * i + 2] = v;
        img.data[4 * i + 3] = 255;
      }
      ctx.putImageData(img, k * (s + 2) + 1, 2);
      if (k === highlight) {
        ctx.strokeStyle = '#f28e2b';
        ctx.lineWidth = 1;
        ctx.strokeRect(k * (s + 2) + 0.5, 1.5, s + 1, s + 1);
      }
    });
  }
}

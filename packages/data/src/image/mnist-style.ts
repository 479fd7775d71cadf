import { ConfigError } from '@vib/core';

/** MNIST's layout: the digit fits a 20 × 20 box inside a 28 × 28 image, its centre of mass at the image's centre. */
const SIDE = 28;
const BOX = 20;
/** Sub-samples per output pixel and axis (anti-aliasing). */
const SUB = 4;

/**
 * Turn a drawing into a digit laid out as MNIST's are (LeCun et al.: the ink's bounding box scaled, keeping its
 * aspect ratio, to fit 20 × 20 pixels with anti-aliasing, then placed in a 28 × 28 image so that its centre of
 * mass is the image centre). A model trained on MNIST-style digits then sees a drawn digit as it saw its training
 * data. A blank drawing stays blank.
 * @param gray - ink per pixel in [0, 1], row-major [height, width]
 * @param width - drawing width in pixels
 * @param height - drawing height in pixels
 * @returns 784 pixels in [0, 1], row-major 28 × 28
 * @throws {@link ConfigError} when `gray` does not hold width × height pixels
 * @example
 * ```ts
 * import { mnistStyleDigit } from '@vib/data';
 * const pad = new Float32Array(140 * 140); // drawn on a 140 × 140 canvas
 * mnistStyleDigit(pad, 140, 140).length; // 784
 * ```
 */
export function mnistStyleDigit(gray: ArrayLike<number>, width: number, height: number): Float32Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || gray.length !== width * height) {
    throw new ConfigError(`a drawing of ${String(width)} × ${String(height)} pixels needs that many values, got ${gray.length}`, { details: { field: 'gray', value: gray.length } });
  }
  const out = new Float32Array(SIDE * SIDE);
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((gray[y * width + x] ?? 0) > 0) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  if (x1 < 0) return out;
  const [bw, bh] = [x1 - x0 + 1, y1 - y0 + 1];
  const scale = BOX / Math.max(bw, bh);
  const [tw, th] = [Math.max(1, Math.round(bw * scale)), Math.max(1, Math.round(bh * scale))];
  // box-filtered resample of the bounding box into tw × th
  const box = new Float32Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      let sum = 0;
      for (let sy = 0; sy < SUB; sy++) {
        for (let sx = 0; sx < SUB; sx++) {
          const gx = Math.min(width - 1, x0 + Math.floor(((tx + (sx + 0.5) / SUB) * bw) / tw));
          const gy = Math.min(height - 1, y0 + Math.floor(((ty + (sy + 0.5) / SUB) * bh) / th));
          sum += Math.min(1, Math.max(0, gray[gy * width + gx] ?? 0));
        }
      }
      box[ty * tw + tx] = sum / (SUB * SUB);
    }
  }
  let [mass, mx, my] = [0, 0, 0];
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) [mass, mx, my] = [mass + box[y * tw + x]!, mx + x * box[y * tw + x]!, my + y * box[y * tw + x]!];
  const centre = (SIDE - 1) / 2;
  const dx = Math.round(centre - mx / mass);
  const dy = Math.round(centre - my / mass);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const [ox, oy] = [x + dx, y + dy];
      if (ox >= 0 && ox < SIDE && oy >= 0 && oy < SIDE) out[oy * SIDE + ox] = box[y * tw + x]!;
    }
  }
  return out;
}

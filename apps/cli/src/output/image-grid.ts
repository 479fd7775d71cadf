import { PNG } from 'pngjs';

/**
 * Tile grayscale images (values in [0, 1]) into one PNG, row by row, with a 2-pixel white gap.
 * @param rows - rows of images, each a Float32Array of height·width values
 * @param height - image height
 * @param width - image width
 * @param scale - pixel repetition factor (2 doubles the size)
 * @returns the PNG bytes and the image size
 */
export function imageGridPng(rows: readonly (readonly Float32Array[])[], height: number, width: number, scale = 2): { png: Uint8Array; width: number; height: number } {
  const gap = 2;
  const cols = Math.max(...rows.map((r) => r.length));
  const W = cols * (width * scale + gap) + gap;
  const H = rows.length * (height * scale + gap) + gap;
  const png = new PNG({ width: W, height: H });
  png.data.fill(255);
  rows.forEach((row, r) => {
    row.forEach((img, c) => {
      const x0 = gap + c * (width * scale + gap);
      const y0 = gap + r * (height * scale + gap);
      for (let y = 0; y < height * scale; y++) {
        for (let x = 0; x < width * scale; x++) {
          const v = img[Math.floor(y / scale) * width + Math.floor(x / scale)] ?? 0;
          const g = Math.round(255 * (1 - Math.min(1, Math.max(0, v))));
          const o = ((y0 + y) * W + (x0 + x)) * 4;
          png.data[o] = g;
          png.data[o + 1] = g;
          png.data[o + 2] = g;
          png.data[o + 3] = 255;
        }
      }
    });
  });
  return { png: new Uint8Array(PNG.sync.write(png)), width: W, height: H };
}

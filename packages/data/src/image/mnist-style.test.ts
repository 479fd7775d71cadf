import { describe, expect, it } from 'vitest';
import { mnistStyleDigit } from './mnist-style.js';

const centreOfMass = (img: Float32Array) => {
  let [m, x, y] = [0, 0, 0];
  img.forEach((v, i) => ([m, x, y] = [m + v, x + (i % 28) * v, y + Math.floor(i / 28) * v]));
  return { mass: m, x: x / m, y: y / m };
};

describe('mnistStyleDigit', () => {
  it('scales a square of ink in a corner to fill 20 × 20 pixels, its centre of mass at the image centre', () => {
    const pad = new Float32Array(140 * 140);
    for (let y = 3; y < 13; y++) for (let x = 5; x < 15; x++) pad[y * 140 + x] = 1;
    const img = mnistStyleDigit(pad, 140, 140);
    const c = centreOfMass(img);
    expect(c.mass).toBe(400); // 20 × 20 full pixels
    // a 20-pixel box centred on 13.5 spans rows and columns 4..23, whose centre is exactly 13.5
    expect([c.x, c.y]).toEqual([13.5, 13.5]);
    expect(img[4 * 28 + 4]).toBe(1);
    expect(img[3 * 28 + 4]).toBe(0);
  });

  it('keeps the aspect ratio of a tall stroke (20 high, 5 wide) and leaves a blank drawing blank', () => {
    const pad = new Float32Array(56 * 56);
    for (let y = 10; y < 50; y++) for (let x = 30; x < 40; x++) pad[y * 56 + x] = 1;
    const img = mnistStyleDigit(pad, 56, 56);
    const rows = new Set<number>();
    const cols = new Set<number>();
    img.forEach((v, i) => v > 0 && (rows.add(Math.floor(i / 28)), cols.add(i % 28)));
    expect([rows.size, cols.size]).toEqual([20, 5]);
    expect(mnistStyleDigit(new Float32Array(56 * 56), 56, 56).every((v) => v === 0)).toBe(true);
    expect(() => mnistStyleDigit(new Float32Array(10), 4, 4)).toThrow(/4 × 4 pixels needs that many values, got 10/);
  });
});

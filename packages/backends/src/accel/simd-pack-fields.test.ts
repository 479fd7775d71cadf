import { describe, expect, it } from 'vitest';
import { FIELDS_WORDS } from './simd-pack-fields.js';
import { simdModuleBytes } from './simd-module.js';

/** H, W, C, OH, OW, KH, KW, sh, sw, top, left, and the images. */
type Geometry = readonly [number, number, number, number, number, number, number, number, number, number, number, number];

/**
 * The panels `packFields` writes from the images, against `packB` / `packBT` on the fields `unfoldFields` writes, in
 * one instance of the SIMD module over a memory of its own: the same bytes, panel by panel, and the same flag.
 */
function packBoth(g: Geometry, transposed: boolean, at?: { readonly image: number; readonly value: number }): { fresh: Uint32Array; unfolded: Uint32Array; flags: [number, number]; panels: number } {
  const [H, W, C, OH, OW, KH, KW, , , , , images] = g;
  const [positions, fields] = [images * OH * OW, KH * KW * C];
  const [kCount, n] = transposed ? [fields, positions] : [positions, fields];
  const panels = n >> 3;
  const xLen = images * H * W * C;
  // floats: images, zeros (C), descriptor, unfolded fields, two panel areas (a float of guard after each), flags
  const layout = { x: 16, zeros: 16 + xLen, desc: 16 + xLen + C, rows: 32 + xLen + C + FIELDS_WORDS };
  const fieldsAt = layout.rows;
  const freshAt = fieldsAt + positions * fields + 16;
  const unfoldedAt = freshAt + panels * kCount * 8 + 16;
  const flagAt = unfoldedAt + panels * kCount * 8 + 16;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(((flagAt + 16) * 4) / 65536) + 1 });
  const x = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes(false, false)), { env: { mem: memory } }).exports as Record<string, (...args: number[]) => void>;
  const f = new Float32Array(memory.buffer);
  const words = new Int32Array(memory.buffer);
  f.fill(Number.NaN);
  for (let e = 0; e < xLen; e++) f[layout.x + e] = Math.sin(3 * e + 1) * (e % 7 === 0 ? -1 : 1) + (e % 11 === 0 ? -0 : 0);
  if (at) f[layout.x + at.image] = at.value;
  f.fill(0, layout.zeros, layout.zeros + C);
  words.set([4 * layout.x, H, W, C, OH, OW, KH, KW, g[7], g[8], g[9], g[10], transposed ? 1 : 0, 4 * layout.zeros, images], layout.desc);
  words[flagAt] = 0;
  words[flagAt + 1] = 0;
  x['unfoldFields']?.(4 * layout.x, 4 * fieldsAt, 0, images, ...g.slice(0, 11));
  if (transposed) x['packBT']?.(4 * fieldsAt, 4 * fields, 4 * unfoldedAt, kCount, kCount & ~3, 0, panels, 4 * flagAt);
  else x['packB']?.(4 * fieldsAt, 4 * fields, 4 * unfoldedAt, kCount, 0, panels, 4 * flagAt);
  x['packFields']?.(4 * layout.desc, 4 * freshAt, kCount, 0, panels, 4 * (flagAt + 1));
  const bits = new Uint32Array(memory.buffer);
  return {
    // each area with the float after it (left as NaN: nothing written past the panels)
    fresh: bits.slice(freshAt, freshAt + panels * kCount * 8 + 1),
    unfolded: bits.slice(unfoldedAt, unfoldedAt + panels * kCount * 8 + 1),
    flags: [words[flagAt] as number, words[flagAt + 1] as number],
    panels,
  };
}

describe("packFields: a GEMM's panels straight from a convolution's input", () => {
  const cases: [string, Geometry][] = [
    ['an MNIST CNN\'s second layer: 5×5, 32 channels, padding 2, two images', [14, 14, 32, 14, 14, 5, 5, 1, 1, 2, 2, 2]],
    ['3×3 windows, 8 channels, padding 1, three images (147 positions: 18 whole panels)', [7, 7, 8, 7, 7, 3, 3, 1, 1, 1, 1, 3]],
    ['a 5×3 window, 4 channels, strides 2 and 1, padding 2 above and 1 left, windows past the bottom', [9, 6, 4, 6, 6, 5, 3, 2, 1, 2, 1, 2]],
    ['no padding, stride 3, 12 channels', [11, 10, 12, 3, 3, 2, 2, 3, 3, 0, 0, 4]],
    ['one image', [6, 6, 4, 6, 6, 3, 3, 1, 1, 1, 1, 1]],
  ];
  it.each(cases)('%s: the fields as B, and their transpose, bit for bit the panels packed from the unfolded fields', (_, g) => {
    for (const transposed of [false, true]) {
      const r = packBoth(g, transposed);
      expect(r.panels, 'whole panels to compare').toBeGreaterThan(0);
      let differ = 0;
      for (let e = 0; e < r.fresh.length; e++) if (r.fresh[e] !== r.unfolded[e]) differ++;
      expect(differ, transposed ? 'transposed' : 'plain').toBe(0);
      // the float after the panels stays the fill's NaN, in both
      expect(r.fresh[r.fresh.length - 1]).toBe(r.unfolded[r.unfolded.length - 1]);
      expect(r.flags).toEqual([0, 0]);
    }
  });

  it('flags an infinity or a NaN it reads from the images, as packB and packBT do', () => {
    const g: Geometry = [7, 7, 8, 7, 7, 3, 3, 1, 1, 1, 1, 2];
    for (const value of [Number.POSITIVE_INFINITY, Number.NaN]) {
      for (const transposed of [false, true]) {
        // the first image's pixel (3, 4), channel 5: inside every layout's whole panels
        const r = packBoth(g, transposed, { image: (3 * 7 + 4) * 8 + 5, value });
        expect(r.flags, `${value} ${transposed ? 'transposed' : 'plain'}`).toEqual([1, 1]);
        let differ = 0;
        for (let e = 0; e < r.fresh.length; e++) if (r.fresh[e] !== r.unfolded[e]) differ++;
        expect(differ).toBe(0);
      }
    }
  });
});

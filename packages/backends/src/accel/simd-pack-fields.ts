import { get, i32c, set } from './simd-math.js';
import { flagUnlessFinite, loadAt, loop, ones, storeAt, trackFinite, transposeEight, zero } from './simd-gemm.js';
import { OP, T, uleb, type WasmFunction } from './wasm-emit.js';

// The GEMM's panels of B packed straight from a convolution's input, for the products whose right operand is its
// receptive fields (conv-products.ts's transposed orientation): the same panels `packB` or `packBT` would pack from
// the fields unfolded (the same floats in the same places, so the products have the same bits), without the unfolded
// copy written and read back (16 MB a piece of the batch for an MNIST CNN's second layer, twice a training step).

type Code = number[];

/**
 * The words (i32) of a fields descriptor, at a byte pointer the pack reads them from: the images (byte pointer to the
 * piece's first), H, W, C, OH, OW, KH, KW, sh, sw, top, left, the layout (0: B is the fields, positions × fields, as
 * `packB` packs them; 1: their transpose, as `packBT` packs the fields), a byte pointer to C zeros (the transposed
 * layout reads the padding there), and the piece's image count.
 */
export const FIELDS_WORDS = 15;

/** Unsigned i32 `a < b` (a negative a reads as a large one): a coordinate inside [0, b). */
const inside = (a: Code, b: number): Code => [...a, ...get(b), OP.i32LtU];

/**
 * `packFields(desc, dst, kCount, p0, p1, flag)`: panels [p0, p1) of B, from the fields descriptor at `desc` (see
 * {@link FIELDS_WORDS}), into dst, panel p at dst + p·kCount·32 bytes, as packB and packBT lay them out. C must be a
 * multiple of 4 (a panel's group of 4 fields then lies in one window position). Where a float read from the images
 * is infinite or NaN, i32 1 is stored at byte `flag`, as packB does (the padding's zeros are finite).
 *
 * The fields' layout (0): kCount is the piece's positions; panel p holds fields 8p…8p+7, written down the positions,
 * image by image, row by row (zeros where the window position is in the padding): 8 channels of one window position
 * where C is a multiple of 8, else two groups of 4, each in a pass of its own.
 * The transposed layout (1): kCount is KH·KW·C; panel p holds positions 8p…8p+7, whose 8 rows of C channels at each
 * window position (or the zeros, in the padding) are read 4 channels at a time and transposed into 4 k-rows.
 * @returns the function
 */
export function packFieldsFunction(): WasmFunction {
  const [desc, dst, kCount, p0, p1, flag] = [0, 1, 2, 3, 4, 5];
  let next = 6;
  const local = (): number => next++;
  const [xP, H, W, C, OH, OW, KH, KW, sh, sw, top, left, layout, zeroP, images] = Array.from({ length: FIELDS_WORDS }, local) as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  const [p, pix, rowBytes, imgBytes, d, half, two, e0, tap, kh, kw, img, oy, ox, ih, iw, rowP, imgP, cB, span] = Array.from({ length: 20 }, local) as number[] as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  const ih0 = Array.from({ length: 8 }, local);
  const iw0 = Array.from({ length: 8 }, local);
  const base = Array.from({ length: 8 }, local);
  const ptr = Array.from({ length: 8 }, local);
  const i32Locals = next - 6;
  const fin = local();
  const r = Array.from({ length: 8 }, local);
  const t = Array.from({ length: 8 }, local);
  const vLocals = next - 6 - i32Locals;
  const add = (x: number, y: Code): Code => [...get(x), ...y, OP.i32Add, ...set(x)];

  /**
   * The fields' layout: `vectors` groups of 4 fields from field 8p + 4·half, in one window position, down every
   * position of the piece (2: the panel's 8 fields in one pass, where C is a multiple of 8; 1: a group of 4, each
   * half of the panel in a pass of its own).
   */
  const plainPass = (vectors: 1 | 2): Code => [
    ...get(p), ...i32c(3), OP.i32Shl, ...get(half), ...i32c(2), OP.i32Shl, OP.i32Add, ...set(e0),
    ...get(e0), ...get(C), OP.i32DivU, ...set(tap),
    ...get(tap), ...get(KW), OP.i32DivU, ...set(kh),
    ...get(tap), ...get(kh), ...get(KW), OP.i32Mul, OP.i32Sub, ...set(kw),
    ...get(dst), ...get(p), ...get(kCount), OP.i32Mul, ...i32c(5), OP.i32Shl, OP.i32Add, ...get(half), ...i32c(4), OP.i32Shl, OP.i32Add, ...set(d),
    // the group's first channel within its window position, in bytes
    ...get(e0), ...get(tap), ...get(C), OP.i32Mul, OP.i32Sub, ...i32c(2), OP.i32Shl, ...set(cB),
    ...get(xP), ...set(imgP),
    ...i32c(0), ...set(img),
    ...loop(img, images, i32c(1), [
      ...i32c(0), ...set(oy),
      ...loop(oy, OH, i32c(1), [
        ...get(oy), ...get(sh), OP.i32Mul, ...get(top), OP.i32Sub, ...get(kh), OP.i32Add, ...set(ih),
        // the row's first window position's column; the row inside the input or not
        ...get(kw), ...get(left), OP.i32Sub, ...set(iw),
        ...get(imgP), ...get(ih), ...get(rowBytes), OP.i32Mul, OP.i32Add, ...get(iw), ...get(pix), OP.i32Mul, OP.i32Add, ...get(cB), OP.i32Add, ...set(rowP),
        ...inside(get(ih), H),
        OP.if, OP.void,
        ...i32c(0), ...set(ox),
        ...loop(ox, OW, i32c(1), [
          ...inside(get(iw), W),
          OP.if, OP.void,
          ...Array.from({ length: vectors }, (_, q) => [...get(rowP), ...loadAt(16 * q), ...set(r[q] as number), ...trackFinite(fin, r[q] as number), ...get(d), ...get(r[q] as number), ...storeAt(16 * q)]).flat(),
          OP.else,
          ...Array.from({ length: vectors }, (_, q) => [...get(d), ...zero, ...storeAt(16 * q)]).flat(),
          OP.end,
          ...add(d, i32c(32)),
          ...add(iw, get(sw)),
          ...add(rowP, get(span)),
        ]),
        OP.else,
        ...i32c(0), ...set(ox),
        ...loop(ox, OW, i32c(1), [...Array.from({ length: vectors }, (_, q) => [...get(d), ...zero, ...storeAt(16 * q)]).flat(), ...add(d, i32c(32))]),
        OP.end,
      ]),
      ...add(imgP, get(imgBytes)),
    ]),
  ];

  /** The transposed layout: panel p's 8 positions, every window position's C channels 4 at a time. */
  const transposedPanel: Code = [
    // each position's image, its window's first row and column
    ...ih0.flatMap((_, j) => [
      ...get(p), ...i32c(3), OP.i32Shl, ...i32c(j), OP.i32Add, ...set(ox), // the position within the piece
      ...get(ox), ...get(OH), ...get(OW), OP.i32Mul, OP.i32DivU, ...set(img),
      ...get(ox), ...get(img), ...get(OH), ...get(OW), OP.i32Mul, OP.i32Mul, OP.i32Sub, ...set(ox), // within its image
      ...get(ox), ...get(OW), OP.i32DivU, ...set(oy),
      ...get(ox), ...get(oy), ...get(OW), OP.i32Mul, OP.i32Sub, ...set(ox),
      ...get(oy), ...get(sh), OP.i32Mul, ...get(top), OP.i32Sub, ...set(ih0[j] as number),
      ...get(ox), ...get(sw), OP.i32Mul, ...get(left), OP.i32Sub, ...set(iw0[j] as number),
      ...get(xP), ...get(img), ...get(imgBytes), OP.i32Mul, OP.i32Add, ...set(base[j] as number),
    ]),
    ...get(dst), ...get(p), ...get(kCount), OP.i32Mul, ...i32c(5), OP.i32Shl, OP.i32Add, ...set(d),
    ...i32c(0), ...set(kh),
    ...loop(kh, KH, i32c(1), [
      ...i32c(0), ...set(kw),
      ...loop(kw, KW, i32c(1), [
        // each position's row of C channels at this window position, or the zeros in the padding
        ...ptr.flatMap((q, j) => [
          ...get(ih0[j] as number), ...get(kh), OP.i32Add, ...set(ih),
          ...get(iw0[j] as number), ...get(kw), OP.i32Add, ...set(iw),
          ...get(base[j] as number), ...get(ih), ...get(rowBytes), OP.i32Mul, OP.i32Add, ...get(iw), ...get(pix), OP.i32Mul, OP.i32Add,
          ...get(zeroP),
          ...inside(get(ih), H), ...inside(get(iw), W), OP.i32And,
          OP.select, ...set(q),
        ]),
        ...i32c(0), ...set(cB),
        ...loop(cB, pix, i32c(16), [
          ...r.flatMap((x, j) => [...get(ptr[j] as number), ...get(cB), OP.i32Add, ...loadAt(0), ...set(x), ...trackFinite(fin, x)]),
          ...transposeEight(r, t, d),
          ...add(d, i32c(128)),
        ]),
      ]),
    ]),
  ];

  return {
    name: 'packFields',
    params: Array<number>(6).fill(T.i32),
    locals: [...Array<number>(i32Locals).fill(T.i32), ...Array<number>(vLocals).fill(T.v128)],
    body: [
      ...[xP, H, W, C, OH, OW, KH, KW, sh, sw, top, left, layout, zeroP, images].flatMap((l, w) => [...get(desc), OP.i32Load, 2, ...uleb(4 * w), ...set(l)]),
      ...i32c(2), ...set(two),
      ...get(C), ...i32c(2), OP.i32Shl, ...set(pix),
      ...get(W), ...get(pix), OP.i32Mul, ...set(rowBytes),
      ...get(H), ...get(rowBytes), OP.i32Mul, ...set(imgBytes),
      ...get(sw), ...get(pix), OP.i32Mul, ...set(span),
      ...ones, ...set(fin),
      ...get(p0), ...set(p),
      ...loop(p, p1, i32c(1), [
        ...get(layout),
        OP.if, OP.void,
        ...transposedPanel,
        OP.else,
        ...i32c(0), ...set(half),
        ...get(C), ...i32c(7), OP.i32And,
        OP.if, OP.void,
        ...loop(half, two, i32c(1), plainPass(1)),
        OP.else,
        ...plainPass(2),
        OP.end,
        OP.end,
      ]),
      ...flagUnlessFinite(fin, flag),
    ],
  };
}

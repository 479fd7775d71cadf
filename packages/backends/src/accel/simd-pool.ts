import { S, f4, get, i32c, set } from './simd-math.js';
import { loop } from './simd-gemm.js';
import { OP, T, simd, type WasmFunction } from './wasm-emit.js';

// A max pool and its gradient in the SIMD module, for the pure tier (max-pool.ts, max-pool-gradient.ts), four channels
// at a time. Each window's maximum per channel is found as the JavaScript loops find it (the first value strictly
// greater than all before it, from −∞, in the window's row-major order: f32x4.gt is false for NaN, as `>` is). The
// gradient, for windows that do not overlap, writes dy at that position and 0 at the window's other positions: every
// position a window covers is written once, so the caller zeroes dx first only for the positions no window covers
// (it zeroes all of dx).

type Code = number[];
const I32 = { ltS: 0x48, geS: 0x4e, splat: simd(0x11), eq: simd(0x37) } as const;
/** v128.const of the lanes 0, 1, 2, 3 (i32). */
const LANES: Code = simd(0x0c, ...[0, 1, 2, 3].flatMap((k) => [k, 0, 0, 0]));
/** max(a, b) and min(a, b) of two signed i32: select(v1, v2, cond) is v1 where cond ≠ 0. */
const maxOf = (a: Code, b: Code): Code => [...b, ...a, ...a, ...b, I32.ltS, OP.select];
const minOf = (a: Code, b: Code): Code => [...a, ...b, ...a, ...b, I32.ltS, OP.select];

/**
 * The rows (or columns) [lo, hi) of output position `o`'s window inside the input: [max(0, o·stride − pad),
 * min(size, o·stride − pad + window)), empty (hi = lo) where the window lies wholly in the padding.
 */
const windowSpan = (o: number, stride: number, pad: number, window: number, size: number, lo: number, hi: number): Code => [
  ...get(o), ...get(stride), OP.i32Mul, ...get(pad), OP.i32Sub, ...set(lo),
  ...get(lo), ...get(window), OP.i32Add, ...set(hi),
  ...maxOf(i32c(0), get(lo)), ...set(lo),
  ...minOf(get(size), get(hi)), ...set(hi),
  ...maxOf(get(lo), get(hi)), ...set(hi),
];

/** The parameters and locals of a pool's pass over windows, by index: the geometry's and the loops'. */
interface PoolFrame {
  readonly B: number; readonly H: number; readonly W: number; readonly C: number; readonly OH: number;
  readonly OW: number; readonly KH: number; readonly KW: number; readonly sh: number; readonly sw: number;
  readonly top: number; readonly left: number; readonly c4: number;
  readonly b: number; readonly oh: number; readonly ow: number; readonly r0: number; readonly r1: number;
  readonly q0: number; readonly q1: number; readonly r: number; readonly q: number; readonly c: number;
  readonly idx: number; readonly cB: number;
  /** The pointer (bytes) at the current window's first channel in a tensor of the output's shape (dy, or y). */
  readonly g: number;
}

/**
 * A frame whose geometry starts at parameter `first` (B, H, W, C, OH, OW, KH, KW, sh, sw, top, left, c4) and whose
 * locals start at `local`.
 */
function frameAt(first: number, local: number): PoolFrame {
  const [B, H, W, C, OH, OW, KH, KW, sh, sw, top, left, c4] = Array.from({ length: 13 }, (_, k) => first + k) as number[];
  const [b, oh, ow, r0, r1, q0, q1, r, q, c, g, idx, cB] = Array.from({ length: 13 }, (_, k) => local + k) as number[];
  return { B, H, W, C, OH, OW, KH, KW, sh, sw, top, left, c4, b, oh, ow, r0, r1, q0, q1, r, q, c, g, idx, cB } as PoolFrame;
}

/** Locals of a frame: 13 i32. */
const FRAME_LOCALS = 13;

/**
 * Over every image and output position: `perWindow`, with the window's rows [r0, r1) and columns [q0, q1) inside the
 * input, and `g` pointing at the position's first channel in a tensor of the output's shape (bytes, from `out`).
 */
function eachWindow(f: PoolFrame, out: number, perWindow: Code): Code {
  return [
    ...get(f.C), ...i32c(2), OP.i32Shl, ...set(f.cB),
    ...get(out), ...set(f.g),
    ...i32c(0), ...set(f.b),
    ...loop(f.b, f.B, i32c(1), [
      ...i32c(0), ...set(f.oh),
      ...loop(f.oh, f.OH, i32c(1), [
        ...windowSpan(f.oh, f.sh, f.top, f.KH, f.H, f.r0, f.r1),
        ...i32c(0), ...set(f.ow),
        ...loop(f.ow, f.OW, i32c(1), [
          ...windowSpan(f.ow, f.sw, f.left, f.KW, f.W, f.q0, f.q1),
          ...perWindow,
          ...get(f.g), ...get(f.cB), OP.i32Add, ...set(f.g),
        ]),
      ]),
    ]),
  ];
}

/** `body` for each group of four channels [0, c4), `c` the group's first channel. */
const eachGroup = (f: PoolFrame, body: Code): Code => [...i32c(0), ...set(f.c), ...loop(f.c, f.c4, i32c(4), body)];

/** `body` at each of the window's positions inside the input; `idx` = ((b·H + r)·W + q)·C, its first channel in x. */
function eachPosition(f: PoolFrame, body: Code): Code {
  const index: Code = [
    ...get(f.b), ...get(f.H), OP.i32Mul, ...get(f.r), OP.i32Add, ...get(f.W), OP.i32Mul, ...get(f.q), OP.i32Add,
    ...get(f.C), OP.i32Mul, ...set(f.idx),
  ];
  return [
    ...get(f.r0), ...set(f.r),
    ...loop(f.r, f.r1, i32c(1), [...get(f.q0), ...set(f.q), ...loop(f.q, f.q1, i32c(1), [...index, ...body])]),
  ];
}

/** The byte address of channel `c` at position `idx` of the tensor at `base`. */
const byteAt = (f: PoolFrame, base: number): Code =>
  [...get(base), ...get(f.idx), ...get(f.c), OP.i32Add, ...i32c(2), OP.i32Shl, OP.i32Add];
/** The group's four channels at the output position `g` points at. */
const atOutput = (f: PoolFrame): Code => [...get(f.g), ...get(f.c), ...i32c(2), OP.i32Shl, OP.i32Add];

/**
 * `maxPoolGrad4(x, dy, dx, B, H, W, C, OH, OW, KH, KW, sh, sw, top, left, c4)`: pointers in bytes; channels [0, c4)
 * (c4 a multiple of 4) of every window, windows not overlapping (sh ≥ KH, sw ≥ KW).
 */
function maxPoolGradFunction(): WasmFunction {
  const [x, dy, dx] = [0, 1, 2];
  const f = frameAt(3, 16);
  const [best, at, v, m, dyv] = Array.from({ length: 5 }, (_, k) => 16 + FRAME_LOCALS + k) as [number, number, number, number, number];
  // the indices of the group's four channels at position idx
  const lanesOf = (i: number): Code => [...get(i), ...get(f.c), OP.i32Add, ...I32.splat, ...LANES, ...S.iadd];
  return {
    name: 'maxPoolGrad4',
    params: Array<number>(16).fill(T.i32),
    locals: [...Array<number>(FRAME_LOCALS).fill(T.i32), ...Array<number>(5).fill(T.v128)],
    body: eachWindow(f, dy, eachGroup(f, [
      ...f4(-Infinity), ...set(best),
      ...i32c(-1), ...I32.splat, ...set(at),
      ...eachPosition(f, [
        ...byteAt(f, x), ...S.load, ...set(v),
        ...get(v), ...get(best), ...S.gt, ...set(m),
        ...get(v), ...get(best), ...get(m), ...S.bitselect, ...set(best),
        ...lanesOf(f.idx), ...get(at), ...get(m), ...S.bitselect, ...set(at),
      ]),
      // dy + 0: a −0 arrives as 0, as the cpu kernel's sum from 0 gives it
      ...atOutput(f), ...S.load, ...f4(0), ...S.add, ...set(dyv),
      ...eachPosition(f, [...byteAt(f, dx), ...get(dyv), ...lanesOf(f.idx), ...get(at), ...I32.eq, ...S.and, ...S.store]),
    ])),
  };
}

/**
 * `maxPool4(x, y, B, H, W, C, OH, OW, KH, KW, sh, sw, top, left, c4)`: pointers in bytes; channels [0, c4) (c4 a
 * multiple of 4) of every window: y = the first value strictly greater than all before it from −∞ (f32x4.gt is false
 * for NaN, as `>` is: NaN passes over, and a window of NaN or −∞ alone gives −∞), as tfjs's cpu kernel takes it.
 * Windows may overlap. The window's running maxima are its output row: each position's channels are compared into it
 * in one pass, so the position's address is worked out once for all its channels.
 */
function maxPoolFunction(): WasmFunction {
  const [x, y] = [0, 1];
  const f = frameAt(2, 15);
  const [xp, best, v] = [15 + FRAME_LOCALS, 16 + FRAME_LOCALS, 17 + FRAME_LOCALS];
  return {
    name: 'maxPool4',
    params: Array<number>(15).fill(T.i32),
    locals: [...Array<number>(FRAME_LOCALS + 1).fill(T.i32), T.v128, T.v128],
    body: eachWindow(f, y, [
      ...eachGroup(f, [...atOutput(f), ...f4(-Infinity), ...S.store]),
      ...eachPosition(f, [
        ...get(x), ...get(f.idx), ...i32c(2), OP.i32Shl, OP.i32Add, ...set(xp),
        // y = v > y ? v : y, lane by lane, for each group of the position's channels
        ...eachGroup(f, [
          ...atOutput(f), ...S.load, ...set(best),
          ...get(xp), ...get(f.c), ...i32c(2), OP.i32Shl, OP.i32Add, ...S.load, ...set(v),
          ...atOutput(f), ...get(v), ...get(best), ...get(v), ...get(best), ...S.gt, ...S.bitselect, ...S.store,
        ]),
      ]),
    ]),
  };
}

/** The SIMD module's max pool and its gradient: `maxPool4`, `maxPoolGrad4`. */
export function simdPoolFunctions(): WasmFunction[] {
  return [maxPoolGradFunction(), maxPoolFunction()];
}

import { S, f4, get, i32c, set } from './simd-math.js';
import { loop } from './simd-gemm.js';
import { OP, T, simd, type WasmFunction } from './wasm-emit.js';

// A max pool's gradient in the SIMD module, for the pure tier (max-pool-gradient.ts): windows that do not overlap,
// four channels at a time. Each window's maximum per channel is found as the JavaScript loop finds it (the first
// value strictly greater than all before it, from −∞, in the window's row-major order: f32x4.gt is false for NaN, as
// `>` is), and dy is written at that position, 0 at the window's other positions: every position a window covers
// is written once, so the caller zeroes dx first only for the positions no window covers (it zeroes all of dx).

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

/**
 * `maxPoolGrad4(x, dy, dx, B, H, W, C, OH, OW, KH, KW, sh, sw, top, left, c4)`: pointers in bytes; channels [0, c4)
 * (c4 a multiple of 4) of every window, windows not overlapping (sh ≥ KH, sw ≥ KW).
 */
function maxPoolGradFunction(): WasmFunction {
  const [x, dy, dx, B, H, W, C, OH, OW, KH, KW, sh, sw, top, left, c4] = Array.from({ length: 16 }, (_, k) => k) as number[] as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  const [b, oh, ow, r0, r1, q0, q1, r, q, c, g, idx, cB] = Array.from({ length: 13 }, (_, k) => 16 + k) as number[] as [number, number, number, number, number, number, number, number, number, number, number, number, number];
  const [best, at, v, m, dyv] = [29, 30, 31, 32, 33];
  // idx = ((b·H + r)·W + q)·C + c: the element's index in x (and dx)
  const index: Code = [...get(b), ...get(H), OP.i32Mul, ...get(r), OP.i32Add, ...get(W), OP.i32Mul, ...get(q), OP.i32Add, ...get(C), OP.i32Mul, ...get(c), OP.i32Add, ...set(idx)];
  const byteAt = (base: number): Code => [...get(base), ...get(idx), ...i32c(2), OP.i32Shl, OP.i32Add];
  const lanesOf = (i: number): Code => [...get(i), ...I32.splat, ...LANES, ...S.iadd];
  // over the window's rows [r0, r1) and columns [q0, q1)
  const window = (body: Code): Code => [
    ...get(r0), ...set(r),
    ...loop(r, r1, i32c(1), [...get(q0), ...set(q), ...loop(q, q1, i32c(1), [...index, ...body])]),
  ];
  return {
    name: 'maxPoolGrad4',
    params: Array<number>(16).fill(T.i32),
    locals: [...Array<number>(13).fill(T.i32), ...Array<number>(5).fill(T.v128)],
    body: [
      ...get(C), ...i32c(2), OP.i32Shl, ...set(cB),
      ...get(dy), ...set(g),
      ...i32c(0), ...set(b),
      ...loop(b, B, i32c(1), [
        ...i32c(0), ...set(oh),
        ...loop(oh, OH, i32c(1), [
          ...windowSpan(oh, sh, top, KH, H, r0, r1),
          ...i32c(0), ...set(ow),
          ...loop(ow, OW, i32c(1), [
            ...windowSpan(ow, sw, left, KW, W, q0, q1),
            ...i32c(0), ...set(c),
            ...loop(c, c4, i32c(4), [
              ...f4(-Infinity), ...set(best),
              ...i32c(-1), ...I32.splat, ...set(at),
              ...window([
                ...byteAt(x), ...S.load, ...set(v),
                ...get(v), ...get(best), ...S.gt, ...set(m),
                ...get(v), ...get(best), ...get(m), ...S.bitselect, ...set(best),
                ...lanesOf(idx), ...get(at), ...get(m), ...S.bitselect, ...set(at),
              ]),
              ...get(g), ...get(c), ...i32c(2), OP.i32Shl, OP.i32Add, ...S.load, ...set(dyv),
              ...window([...byteAt(dx), ...get(dyv), ...lanesOf(idx), ...get(at), ...I32.eq, ...S.and, ...S.store]),
            ]),
            ...get(g), ...get(cB), OP.i32Add, ...set(g),
          ]),
        ]),
      ]),
    ],
  };
}

/** The SIMD module's max pool gradient: `maxPoolGrad4`. */
export function simdPoolFunctions(): WasmFunction[] {
  return [maxPoolGradFunction()];
}

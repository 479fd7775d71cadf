import { get, i32c, set } from './simd-math.js';
import { loadAt, loop, storeAt, vadd, zero } from './simd-gemm.js';
import { OP, T, type WasmFunction } from './wasm-emit.js';

// A convolution's receptive fields in the SIMD module: the loops of conv-products.ts's unfold (im2col) and fold
// (col2im) in WebAssembly, for the pure tier. The same visits in the same order as the JavaScript loops: the unfold
// copies bits, and the fold's adds are float32 adds of float32 values in the same order (the JavaScript loop adds in
// float64 and rounds once, which for a sum of two float32 values is the same number), so both give the JavaScript
// loops' numbers bit for bit.

type Code = number[];
const I32 = { ltS: 0x48, gtS: 0x4a, leS: 0x4c, geS: 0x4e, gtU: 0x4b, or: 0x72 } as const;
const MEM = [2, 0];
const addr = (base: number, off: number): Code => [...get(base), ...get(off), OP.i32Add];

/** What a run of a field row does: copy the input's floats, write zeros, or add the fields' floats onto the input. */
type RunOp = 'copy' | 'zero' | 'add';

/**
 * `op` over the `n` bytes (a multiple of 4) at byte pointers dst and src: four floats at a time, then one by one,
 * with `i` as the counter.
 */
function run(op: RunOp, dst: number, src: number, n: number, i: number, n16: number): Code {
  const vector: Code = op === 'zero'
    ? [...addr(dst, i), ...zero, ...storeAt(0)]
    : op === 'copy'
      ? [...addr(dst, i), ...addr(src, i), ...loadAt(0), ...storeAt(0)]
      : [...addr(dst, i), ...addr(dst, i), ...loadAt(0), ...addr(src, i), ...loadAt(0), ...vadd, ...storeAt(0)];
  const scalar: Code = op === 'zero'
    ? [...addr(dst, i), ...i32c(0), OP.i32Store, ...MEM]
    : op === 'copy'
      ? [...addr(dst, i), ...addr(src, i), OP.i32Load, ...MEM, OP.i32Store, ...MEM]
      : [...addr(dst, i), ...addr(dst, i), OP.f32Load, ...MEM, ...addr(src, i), OP.f32Load, ...MEM, OP.f32Add, OP.f32Store, ...MEM];
  return [
    ...get(n), ...i32c(-16), OP.i32And, ...set(n16),
    ...i32c(0), ...set(i),
    ...loop(i, n16, i32c(16), vector),
    ...loop(i, n, i32c(4), scalar),
  ];
}

/**
 * `unfold` or `fold` (x, rows, b0, b1, H, W, C, OH, OW, KH, KW, sh, sw, top, left), pointers in bytes: for each
 * output position of images [b0, b1) and each window row, the run of KW·C floats at `rows` (image b0's first) and the
 * input's floats it covers (conv-products.ts's eachFieldRow): unfold copies them in (zeros in the padding), fold adds
 * the run back onto the input.
 */
function fieldFunction(fold: boolean): WasmFunction {
  const [x, rows, b0, b1, H, W, C, OH, OW, KH, KW, sh, sw, top, left] = Array.from({ length: 15 }, (_, k) => k) as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  const [b, oh, ow, kh, iw0, kwLo, kwHi, ih, o, width, skip, from, n, i, cB, t, n16, rest] = Array.from({ length: 18 }, (_, k) => 15 + k) as number[] as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  const rowRun: Code = fold
    ? run('add', from, t, n, i, n16)
    : [
        ...run('zero', o, o, skip, i, n16),
        ...run('copy', t, from, n, i, n16),
        ...get(width), ...get(skip), OP.i32Sub, ...get(n), OP.i32Sub, ...set(rest),
        ...get(t), ...get(n), OP.i32Add, ...set(t),
        ...run('zero', t, t, rest, i, n16),
      ];
  return {
    name: fold ? 'foldFields' : 'unfoldFields',
    params: Array<number>(15).fill(T.i32),
    locals: Array<number>(18).fill(T.i32),
    body: [
      ...get(C), ...i32c(2), OP.i32Shl, ...set(cB),
      ...get(KW), ...get(cB), OP.i32Mul, ...set(width),
      ...get(rows), ...set(o),
      ...get(b0), ...set(b),
      ...loop(b, b1, i32c(1), [
        ...i32c(0), ...set(oh),
        ...loop(oh, OH, i32c(1), [
          ...i32c(0), ...set(ow),
          ...loop(ow, OW, i32c(1), [
            // iw0 = ow·sw − left; kwLo = max(0, −iw0); kwHi = min(KW, W − iw0)
            ...get(ow), ...get(sw), OP.i32Mul, ...get(left), OP.i32Sub, ...set(iw0),
            ...i32c(0), ...i32c(0), ...get(iw0), OP.i32Sub, ...get(iw0), ...i32c(0), I32.geS, OP.select, ...set(kwLo),
            ...get(W), ...get(iw0), OP.i32Sub, ...set(kwHi),
            ...get(KW), ...get(kwHi), ...get(KW), ...get(kwHi), I32.ltS, OP.select, ...set(kwHi),
            ...i32c(0), ...set(kh),
            ...loop(kh, KH, i32c(1), [
              ...get(oh), ...get(sh), OP.i32Mul, ...get(kh), OP.i32Add, ...get(top), OP.i32Sub, ...set(ih),
              // a window row in the padding (above or below the input, or no column inside it): skip all, copy none
              ...get(ih), ...i32c(0), I32.ltS, ...get(ih), ...get(H), I32.geS, I32.or, ...get(kwHi), ...get(kwLo), I32.leS, I32.or,
              OP.if, OP.void,
              ...get(width), ...set(skip), ...i32c(0), ...set(n),
              OP.else,
              ...get(kwLo), ...get(cB), OP.i32Mul, ...set(skip),
              ...get(kwHi), ...get(kwLo), OP.i32Sub, ...get(cB), OP.i32Mul, ...set(n),
              ...get(x),
              ...get(b), ...get(H), OP.i32Mul, ...get(ih), OP.i32Add, ...get(W), OP.i32Mul, ...get(iw0), OP.i32Add, ...get(kwLo), OP.i32Add,
              ...get(cB), OP.i32Mul, OP.i32Add, ...set(from),
              OP.end,
              // t: the run's first float inside the input, in the fields
              ...get(o), ...get(skip), OP.i32Add, ...set(t),
              ...rowRun,
              ...get(o), ...get(width), OP.i32Add, ...set(o),
            ]),
          ]),
        ]),
      ]),
    ],
  };
}

/** The SIMD module's field functions: `unfoldFields` and `foldFields`. */
export function simdFieldFunctions(): WasmFunction[] {
  return [fieldFunction(false), fieldFunction(true)];
}

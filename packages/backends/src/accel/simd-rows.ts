import { get, i32c, set } from './simd-math.js';
import { loadAt, loop, storeAt, vmul } from './simd-gemm.js';
import { OP, T, simd, type WasmFunction } from './wasm-emit.js';

// Row-wise passes of the fused likelihood kernels (fused/likelihood-kernels.ts) that ran as JavaScript loops over the
// heap: a gradient's rows scaled by the upstream gradient of each row's loss, and a loss's rows summed in float64.
// Each gives the bits of the loop it replaces: a float32 product is correctly rounded whether it is computed in
// float32 or exactly in float64 and rounded once (24 + 24 bits fit in 53), and the sums are the same float64 adds in
// the same order from +0, rounded to float32 once.

type Code = number[];
const splat: Code = simd(0x13); // f32x4.splat
const f32At = (ptr: Code): Code => [...ptr, OP.f32Load, 2, 0];
const addr = (base: number, off: number): Code => [...get(base), ...get(off), OP.i32Add];

/**
 * `scaleRows(x, scales, rows, colBytes)`: in place x[r][j] = x[r][j]·scales[r] over `rows` contiguous rows of
 * colBytes/4 floats (any count: four lanes at a time, then one by one). Pointers in bytes.
 */
function scaleRowsFunction(): WasmFunction {
  const [x, scales, rows, colBytes] = [0, 1, 2, 3];
  const [r, j, row, c16] = [4, 5, 6, 7];
  const s = 8;
  const sv = 9;
  return {
    name: 'scaleRows',
    params: Array<number>(4).fill(T.i32),
    locals: [...Array<number>(4).fill(T.i32), T.f32, T.v128],
    body: [
      ...get(colBytes), ...i32c(-16), OP.i32And, ...set(c16),
      ...get(x), ...set(row),
      ...i32c(0), ...set(r),
      ...loop(r, rows, i32c(1), [
        ...f32At([...get(scales), ...get(r), ...i32c(2), OP.i32Shl, OP.i32Add]), ...set(s),
        ...get(s), ...splat, ...set(sv),
        ...i32c(0), ...set(j),
        ...loop(j, c16, i32c(16), [...addr(row, j), ...addr(row, j), ...loadAt(0), ...get(sv), ...vmul, ...storeAt(0)]),
        ...loop(j, colBytes, i32c(4), [...addr(row, j), ...f32At(addr(row, j)), ...get(s), OP.f32Mul, OP.f32Store, 2, 0]),
        ...get(row), ...get(colBytes), OP.i32Add, ...set(row),
      ]),
    ],
  };
}

/**
 * `rowSums64(x, out, rows, colBytes)`: out[r] = fround(((+0 + x[r][0]) + x[r][1]) + …) with every add in float64,
 * over `rows` contiguous rows of colBytes/4 floats. Four rows at a time, each its own chain of adds (one chain waits on
 * each add's latency; four fill the adders), then the last rows mod 4 one at a time. Pointers in bytes.
 */
function rowSums64Function(): WasmFunction {
  const [x, out, rows, colBytes] = [0, 1, 2, 3];
  const [r, j, r4] = [4, 5, 6];
  const p = [7, 8, 9, 10] as const;
  const acc = [11, 12, 13, 14] as const;
  const zero64: Code = [OP.f64Const, 0, 0, 0, 0, 0, 0, 0, 0];
  const term = (q: number): Code => [...get(acc[q] as number), ...f32At(addr(p[q] as number, j)), OP.f64PromoteF32, OP.f64Add, ...set(acc[q] as number)];
  const put = (q: number): Code => [
    ...get(out), ...get(r), ...i32c(q), OP.i32Add, ...i32c(2), OP.i32Shl, OP.i32Add,
    ...get(acc[q] as number), OP.f32DemoteF64, OP.f32Store, 2, 0,
  ];
  return {
    name: 'rowSums64',
    params: Array<number>(4).fill(T.i32),
    locals: [...Array<number>(7).fill(T.i32), ...Array<number>(4).fill(T.f64)],
    body: [
      ...get(rows), ...i32c(-4), OP.i32And, ...set(r4),
      ...get(x), ...set(p[0]),
      ...i32c(0), ...set(r),
      ...loop(r, r4, i32c(4), [
        ...[1, 2, 3].flatMap((q) => [...get(p[q - 1] as number), ...get(colBytes), OP.i32Add, ...set(p[q] as number)]),
        ...acc.flatMap((a) => [...zero64, ...set(a)]),
        ...i32c(0), ...set(j),
        ...loop(j, colBytes, i32c(4), [0, 1, 2, 3].flatMap(term)),
        ...[0, 1, 2, 3].flatMap(put),
        ...get(p[3]), ...get(colBytes), OP.i32Add, ...set(p[0]),
      ]),
      ...loop(r, rows, i32c(1), [
        ...zero64, ...set(acc[0]),
        ...i32c(0), ...set(j),
        ...loop(j, colBytes, i32c(4), term(0)),
        ...put(0),
        ...get(p[0]), ...get(colBytes), OP.i32Add, ...set(p[0]),
      ]),
    ],
  };
}

/** Names of the row functions in the SIMD module. */
export const SIMD_ROW_NAMES = ['scaleRows', 'rowSums64'] as const;

/**
 * The row functions for the SIMD module.
 * @returns the functions, in {@link SIMD_ROW_NAMES} order
 */
export function simdRowFunctions(): WasmFunction[] {
  return [scaleRowsFunction(), rowSums64Function()];
}

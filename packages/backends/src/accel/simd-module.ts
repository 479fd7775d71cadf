import { simdEmaFunction, simdFusedFunctions } from './simd-fused.js';
import { simdFieldFunctions } from './simd-fields.js';
import { simdPoolFunctions } from './simd-pool.js';
import { packFieldsFunction } from './simd-pack-fields.js';
import { simdGemmFunctions } from './simd-gemm.js';
import { simdRowFunctions } from './simd-rows.js';
import { simdSparseFunctions } from './simd-sparse.js';
import { simdUnaryFunctions } from './simd-math.js';
import { OP, SIMD, T, emitModule, shuffleF32, simd, uleb, type WasmFunction } from './wasm-emit.js';

const get = (i: number): number[] => [OP.localGet, ...uleb(i)];
const set = (i: number): number[] => [OP.localSet, ...uleb(i)];
const MEM = [2, 0]; // memarg: alignment hint 4 bytes, offset 0
const load = simd(SIMD.load, ...MEM);
const store = simd(SIMD.store, ...MEM);
const [vadd, vmul, vdiv, vsqrt, splat] = [SIMD.f32x4Add, SIMD.f32x4Mul, SIMD.f32x4Div, SIMD.f32x4Sqrt, SIMD.f32x4Splat].map((op) => simd(op)) as [number[], number[], number[], number[], number[]];
const f32 = (x: number): number[] => [OP.f32Const, ...new Uint8Array(new Float32Array([x]).buffer)];
const i32 = (x: number): number[] => [OP.i32Const, ...uleb(x)];
/** `for (counter = 0; counter < limit; counter += step) body` with the exit test first. */
const forLoop = (counter: number, limit: number[], step: number, body: number[]): number[] => [
  ...i32(0), ...set(counter),
  OP.block, OP.void, OP.loop, OP.void,
  ...get(counter), ...limit, OP.i32GeU, OP.brIf, 1,
  ...body,
  ...get(counter), ...i32(step), OP.i32Add, ...set(counter), OP.br, 0,
  OP.end, OP.end,
];

/**
 * `adam(p, g, m, v, out, bytes, lr, β₁, β₂, ε, c1, c2)` over `bytes`/4 floats (a multiple of 4), pointers in
 * bytes: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², out ← p − lr·(c1·m)/(√(c2·v) + ε), four lanes at a time.
 */
const adam: WasmFunction = (() => {
  const [p, g, m, v, out, bytes, lr, b1, b2, eps, c1, c2] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [i, vb1, va1, vb2, va2, vnlr, veps, vc1, vc2, gv, mv, vv] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
  const at = (base: number): number[] => [...get(base), ...get(i), OP.i32Add];
  return {
    name: 'adam',
    params: [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f32, T.f32, T.f32, T.f32, T.f32, T.f32],
    locals: [T.i32, ...Array<number>(11).fill(T.v128)],
    body: [
      ...get(b1), ...splat, ...set(vb1),
      ...f32(1), ...get(b1), OP.f32Sub, ...splat, ...set(va1),
      ...get(b2), ...splat, ...set(vb2),
      ...f32(1), ...get(b2), OP.f32Sub, ...splat, ...set(va2),
      ...f32(0), ...get(lr), OP.f32Sub, ...splat, ...set(vnlr),
      ...get(eps), ...splat, ...set(veps),
      ...get(c1), ...splat, ...set(vc1),
      ...get(c2), ...splat, ...set(vc2),
      ...forLoop(i, get(bytes), 16, [
        ...at(g), ...load, ...set(gv),
        ...at(m), ...load, ...get(vb1), ...vmul, ...get(gv), ...get(va1), ...vmul, ...vadd, ...set(mv),
        ...at(v), ...load, ...get(vb2), ...vmul, ...get(gv), ...get(gv), ...vmul, ...get(va2), ...vmul, ...vadd, ...set(vv),
        ...at(m), ...get(mv), ...store,
        ...at(v), ...get(vv), ...store,
        ...at(out),
        ...at(p), ...load,
        ...get(mv), ...get(vc1), ...vmul, ...get(vv), ...get(vc2), ...vmul, ...vsqrt, ...get(veps), ...vadd, ...vdiv, ...get(vnlr), ...vmul,
        ...vadd,
        ...store,
      ]),
    ],
  };
})();

/**
 * `transpose4(src, dst, rows, cols, rows4, cols4)`: dst[j][i] = src[i][j] for i < rows4, j < cols4 (multiples
 * of 4), in 4×4 blocks (four loads, eight shuffles, four stores); src is rows×cols, dst cols×rows, pointers in bytes.
 */
const transpose4: WasmFunction = (() => {
  const [src, dst, rows, cols, rows4, cols4] = [0, 1, 2, 3, 4, 5];
  const [i, j, srcRow, srcStride, dstStride, a, d] = [6, 7, 8, 9, 10, 11, 12];
  const r = [13, 14, 15, 16];
  const t = [17, 18, 19, 20];
  const [r0, r1, r2, r3] = r as [number, number, number, number];
  const [t0, t1, t2, t3] = t as [number, number, number, number];
  const addr = (base: number, k: number, stride: number): number[] => [...get(base), ...(k ? [...get(stride), ...i32(k), OP.i32Mul, OP.i32Add] : [])];
  return {
    name: 'transpose4',
    params: [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32],
    locals: [...Array<number>(7).fill(T.i32), ...Array<number>(8).fill(T.v128)],
    body: [
      ...get(cols), ...i32(2), OP.i32Shl, ...set(srcStride),
      ...get(rows), ...i32(2), OP.i32Shl, ...set(dstStride),
      ...forLoop(i, get(rows4), 4, [
        ...get(src), ...get(i), ...get(srcStride), OP.i32Mul, OP.i32Add, ...set(srcRow),
        ...forLoop(j, get(cols4), 4, [
          ...get(srcRow), ...get(j), ...i32(2), OP.i32Shl, OP.i32Add, ...set(a),
          ...[0, 1, 2, 3].flatMap((k) => [...addr(a, k, srcStride), ...load, ...set(r[k] as number)]),
          ...get(r0), ...get(r1), ...shuffleF32([0, 4, 1, 5]), ...set(t0),
          ...get(r0), ...get(r1), ...shuffleF32([2, 6, 3, 7]), ...set(t1),
          ...get(r2), ...get(r3), ...shuffleF32([0, 4, 1, 5]), ...set(t2),
          ...get(r2), ...get(r3), ...shuffleF32([2, 6, 3, 7]), ...set(t3),
          ...get(dst), ...get(j), ...get(dstStride), OP.i32Mul, OP.i32Add, ...get(i), ...i32(2), OP.i32Shl, OP.i32Add, ...set(d),
          ...addr(d, 0, dstStride), ...get(t0), ...get(t2), ...shuffleF32([0, 1, 4, 5]), ...store,
          ...addr(d, 1, dstStride), ...get(t0), ...get(t2), ...shuffleF32([2, 3, 6, 7]), ...store,
          ...addr(d, 2, dstStride), ...get(t1), ...get(t3), ...shuffleF32([0, 1, 4, 5]), ...store,
          ...addr(d, 3, dstStride), ...get(t1), ...get(t3), ...shuffleF32([2, 3, 6, 7]), ...store,
        ]),
      ]),
    ],
  };
})();

/**
 * `colSum(x, out, rows, colBytes, ld)`: out[j] = 0 + x[0][j] + x[1][j] + … in row order, four columns at a time, for
 * colBytes/4 columns (a multiple of 4) of a rows × ld-byte matrix: the stock Sum's order and float32 rounding.
 */
const colSum: WasmFunction = (() => {
  const [x, out, rows, colBytes, ld] = [0, 1, 2, 3, 4];
  const [r, j, row] = [5, 6, 7];
  const at = (base: number): number[] => [...get(base), ...get(j), OP.i32Add];
  return {
    name: 'colSum',
    params: Array<number>(5).fill(T.i32),
    locals: Array<number>(3).fill(T.i32),
    body: [
      ...forLoop(j, get(colBytes), 16, [...at(out), ...f32(0), ...splat, ...store]),
      ...get(x), ...set(row),
      ...forLoop(r, get(rows), 1, [
        ...forLoop(j, get(colBytes), 16, [...at(out), ...at(out), ...load, ...at(row), ...load, ...vadd, ...store]),
        ...get(row), ...get(ld), OP.i32Add, ...set(row),
      ]),
    ],
  };
})();

/**
 * The bytes of the pure tier's SIMD module over an imported memory `env.mem`: `adam`, `transpose4`, `colSum`, the
 * exp/log family of {@link simdUnaryFunctions}, the fused chains of {@link simdFusedFunctions}, the EMA step and the
 * GEMM of {@link simdGemmFunctions} and its sparse form ({@link simdSparseFunctions}), the row passes of
 * {@link simdRowFunctions}, a convolution's field loops ({@link simdFieldFunctions}), a max pool and its gradient
 * ({@link simdPoolFunctions}), and the GEMM's panels packed from a convolution's input ({@link packFieldsFunction}).
 * @param sharedMemory - import a shared memory (tfjs-wasm's threaded build) instead of a plain one
 * @param fma - the products' terms (dense and sparse GEMM) as relaxed SIMD's relaxed_madd (see wasm-fma.ts); the
 *   module then validates only where relaxed SIMD is enabled
 * @returns a WebAssembly module binary (a few KiB)
 */
export function simdModuleBytes(sharedMemory = false, fma = false): Uint8Array<ArrayBuffer> {
  return emitModule([adam, transpose4, colSum, ...simdUnaryFunctions(), ...simdFusedFunctions(), simdEmaFunction(), ...simdGemmFunctions(fma), ...simdSparseFunctions(fma), ...simdRowFunctions(), ...simdFieldFunctions(), ...simdPoolFunctions(), packFieldsFunction()], sharedMemory);
}

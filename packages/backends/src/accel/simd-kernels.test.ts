import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { ADAM_TOLERANCE } from './fused-adam.js';
import { uninstallAcceleration } from './install-acceleration.js';
import { gemmScratch, instantiateSimdKernels, simdKernels, type SimdKernels } from './simd-kernels.js';
import { simdModuleBytes } from './simd-module.js';
import { sleb, uleb } from './wasm-emit.js';
import { heapOffset, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';
import { bitsOneNaN } from '../testing/float-bits.js';
import { gemmReference } from '../testing/product-term.js';

let be: WasmBackendInternals;
let kernels: SimdKernels;

beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
  uninstallAcceleration();
  be = wasmInternals(tf.backend()) as WasmBackendInternals;
  kernels = simdKernels(be) as SimdKernels;
});

describe('wasm emitter', () => {
  it('encodes LEB128 as the WebAssembly spec examples', () => {
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(0)).toEqual([0]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(64)).toEqual([0xc0, 0x00]); // 64 needs a second byte: bit 6 would read as the sign
  });

  it('emits a module that validates and instantiates on the backend memory', () => {
    expect(WebAssembly.validate(simdModuleBytes())).toBe(true);
    expect(kernels).not.toBeNull();
  });

  it('instantiates on a shared memory (the heap of tfjs-wasm\'s threaded build) and computes there', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const heap = new Float32Array(memory.buffer);
    const onShared = instantiateSimdKernels({ wasm: { HEAPF32: heap } } as unknown as WasmBackendInternals, memory);
    expect(onShared).not.toBeNull();
    heap.set(Float32Array.from({ length: 15 }, (_, i) => i - 7));
    onShared?.transpose(0, 100, 3, 5);
    onShared?.unary(0, 0, 200, 15); // exp
    for (let i = 0; i < 3; i++) for (let j = 0; j < 5; j++) expect(heap[100 + j * 3 + i]).toBe(heap[i * 5 + j]);
    for (let i = 0; i < 15; i++) expect(Math.abs((heap[200 + i] as number) / Math.exp(i - 7) - 1)).toBeLessThan(1e-6);
  });
});

describe('SIMD transpose on the wasm heap', () => {
  it.each([[1, 1], [3, 5], [4, 4], [7, 13], [8, 9], [37, 100], [64, 1030]])('%i×%i equals the reference exactly', (rows, cols) => {
    const values = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * 1000);
    const x = tf.tensor2d(values, [rows, cols]);
    const y = tf.zeros([cols, rows]);
    kernels.transpose(heapOffset(be, x), heapOffset(be, y), rows, cols);
    const got = y.dataSync();
    const want = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) want[j * rows + i] = values[i * cols + j] as number;
    expect(got).toEqual(want); // pure data movement: bit-exact
    tf.dispose([x, y]);
  });
});

describe('SIMD Adam on the wasm heap', () => {
  it.each([1, 37, 1030])('n = %i agrees with the float64 update within float32 rounding', (n) => {
    const r = (k: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(7 * i + k));
    const [p0, g0, m0] = [r(1), r(2), r(3)];
    const v0 = r(4).map(Math.abs);
    const [lr, b1, b2, eps, t] = [0.01, 0.9, 0.999, 1e-7, 5];
    const [c1, c2] = [1 / (1 - b1 ** t), 1 / (1 - b2 ** t)];
    const ts = [p0, g0, m0, v0, new Float32Array(n)].map((a) => tf.tensor1d(a));
    const [p, g, m, v, out] = ts.map((x) => heapOffset(be, x)) as [number, number, number, number, number];
    kernels.adam(n, p, g, m, v, out, lr, b1, b2, eps, c1, c2);
    const [gotM, gotV, gotP] = [ts[2], ts[3], ts[4]].map((x) => (x as tf.Tensor).dataSync());
    const close = (a: number, b: number): boolean => Math.abs(a - b) <= ADAM_TOLERANCE.atol + ADAM_TOLERANCE.rtol * Math.abs(b);
    for (let i = 0; i < n; i++) {
      const gi = g0[i] as number;
      const mi = b1 * (m0[i] as number) + (1 - b1) * gi;
      const vi = b2 * (v0[i] as number) + (1 - b2) * gi * gi;
      const pi = (p0[i] as number) - (lr * mi * c1) / (Math.sqrt(vi * c2) + eps);
      expect(close(gotM?.[i] as number, mi), `m[${i}]`).toBe(true);
      expect(close(gotV?.[i] as number, vi), `v[${i}]`).toBe(true);
      expect(close(gotP?.[i] as number, pi), `p[${i}]`).toBe(true);
    }
    expect(ts[0]?.dataSync()).toEqual(p0); // p itself is left alone (the result goes to out)
    tf.dispose(ts);
  });
});

describe('SIMD GEMM on the wasm heap', () => {
  // every row tail (m mod 4), panel tail (n mod 8) and k mod 4, and a product long enough to split over threads; the
  // last four give the row tails of 1 and 2 rows (three and two panels a turn) whole turns and panels left alone
  const shapes: [number, number, number][] = [[1, 1, 1], [2, 3, 5], [3, 4, 8], [4, 5, 9], [5, 8, 15], [7, 13, 17], [8, 6, 24], [33, 67, 131], [1, 11, 64], [9, 5, 57], [2, 9, 40], [6, 7, 24]];
  it.each(shapes.flatMap(([m, k, n]) => [[m, k, n, false], [m, k, n, true]] as const))('%i×%i×%i (transposeB %s) equals the k-order float32 sum bit for bit', (m, k, n, tB) => {
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(3 * i + 1));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(5 * i + 2));
    const [ta, tb] = [tf.tensor1d(a), tf.tensor1d(b)];
    // C with a guard past its end, and scratch filled with garbage: neither may leak into the result
    const c = tf.fill([m * n + 8], 7.5);
    const scratch = tf.fill([gemmScratch(m, k, n)], Number.NaN);
    kernels.gemm(heapOffset(be, ta), heapOffset(be, tb), heapOffset(be, c), m, k, n, tB, heapOffset(be, scratch));
    const got = c.dataSync();
    expect(got.subarray(0, m * n)).toEqual(gemmReference(a, b, m, k, n, tB));
    expect([...got.subarray(m * n)]).toEqual(Array<number>(8).fill(7.5));
    tf.dispose([ta, tb, c, scratch]);
  });
  // A given as its transpose (k×m), packed from it a chunk of 16 k-rows at a time: k below, at and past a chunk, every
  // row tail, one block alone, and rows past a chunk of blocks
  const transposedShapes: [number, number, number][] = [[1, 1, 1], [3, 15, 8], [4, 16, 9], [5, 17, 24], [7, 33, 17], [12, 40, 8], [25, 203, 32], [66, 9, 13]];
  it.each(transposedShapes)('%i×%i×%i with A given as its transpose (k×m) equals the k-order float32 sum bit for bit, and the product of A itself', (m, k, n) => {
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(3 * i + 1));
    const at = Float32Array.from({ length: k * m }, (_, i) => a[(i % m) * k + Math.floor(i / m)] as number);
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(5 * i + 2));
    const [ta, tat, tb] = [tf.tensor1d(a), tf.tensor1d(at), tf.tensor1d(b)];
    const [c, cT] = [tf.fill([m * n + 8], 7.5), tf.fill([m * n + 8], 7.5)];
    const scratch = tf.fill([gemmScratch(m, k, n)], Number.NaN);
    kernels.gemm(heapOffset(be, ta), heapOffset(be, tb), heapOffset(be, c), m, k, n, false, heapOffset(be, scratch));
    tf.dispose(scratch);
    const scratchT = tf.fill([gemmScratch(m, k, n)], Number.NaN);
    const took = kernels.gemm(heapOffset(be, tat), heapOffset(be, tb), heapOffset(be, cT), m, k, n, false, heapOffset(be, scratchT), undefined, false, undefined, false, true);
    expect(took.path).toBe('dense');
    const got = cT.dataSync();
    expect(got.subarray(0, m * n)).toEqual(gemmReference(a, b, m, k, n, false));
    expect(new Uint32Array(got.buffer, got.byteOffset, m * n)).toEqual(new Uint32Array(c.dataSync().buffer, 0, m * n));
    expect([...got.subarray(m * n)]).toEqual(Array<number>(8).fill(7.5));
    tf.dispose([ta, tat, tb, c, cT, scratchT]);
  });
  it('refuses the sparse GEMM for A given as its transpose, naming why', () => {
    const [ta, tb, c, scratch] = [tf.zeros([64 * 64]), tf.zeros([64 * 64]), tf.zeros([64 * 64]), tf.zeros([gemmScratch(64, 64, 64)])];
    expect(() => kernels.gemm(heapOffset(be, ta), heapOffset(be, tb), heapOffset(be, c), 64, 64, 64, false, heapOffset(be, scratch), undefined, true, undefined, false, true)).toThrow(/transpose takes the dense kernels only/);
    tf.dispose([ta, tb, c, scratch]);
  });
});

describe('SIMD row passes of the fused likelihoods on the wasm heap', () => {
  const special = [Number.NaN, -0, 0, -1e-40, 1e-40, Infinity, -Infinity, -3.5, 2.25, 3.4e38];
  const shapes = [[0, 5], [1, 0], [1, 1], [3, 4], [5, 7], [2, 13], [7, 3], [9, 17], [100, 784]] as const;
  const values = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i < special.length ? special[i]! : Math.sin(7 * i + 1) * 3 * 10 ** ((i % 7) - 3)));

  it('scaleRows is bitwise the JavaScript product of each row by its factor, on odd widths and special values', () => {
    for (const [rows, cols] of shapes) {
      const xv = values(rows * cols);
      const sv = Float32Array.from({ length: rows }, (_, r) => [-0, Number.NaN, Infinity, 1e-30, -2.5][r] ?? Math.cos(5 * r) * 4);
      const want = Float32Array.from(xv, (v, i) => (sv[Math.floor(i / cols)] as number) * v);
      const [x, s] = [tf.tensor1d(xv), tf.tensor1d(sv)];
      kernels.scaleRows(heapOffset(be, x), heapOffset(be, s), rows, cols);
      expect(bitsOneNaN(x.dataSync() as Float32Array), `${rows}×${cols}`).toEqual(bitsOneNaN(want));
      expect(Array.from(s.dataSync()), 'the factors are not written').toEqual(Array.from(sv));
      tf.dispose([x, s]);
    }
  });

  it('rowSums64 is bitwise a float64 sum in column order rounded once, and stays inside its rows', () => {
    for (const [rows, cols] of shapes) {
      const xv = values(rows * cols);
      const want = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let acc = 0;
        for (let j = 0; j < cols; j++) acc += xv[r * cols + j] as number;
        want[r] = acc;
      }
      const x = tf.tensor1d(xv);
      const out = tf.fill([rows + 1], 7); // one word past the rows: must stay 7
      kernels.rowSums64(heapOffset(be, x), rows, cols, heapOffset(be, out));
      const got = out.dataSync() as Float32Array;
      expect(bitsOneNaN(got.subarray(0, rows)), `${rows}×${cols}`).toEqual(bitsOneNaN(want));
      expect(got[rows]).toBe(7);
      tf.dispose([x, out]);
    }
  });

  it('rowSums64 keeps float64 where float32 sums would lose the small terms', () => {
    // 1 + 2⁻²⁴ + 2⁻²⁴ + …: each term alone rounds away in float32, together they reach 1 + 16·2⁻²⁴
    const cols = 17;
    const xv = Float32Array.from({ length: 2 * cols }, (_, i) => (i % cols === 0 ? 1 : 2 ** -24));
    const [x, out] = [tf.tensor1d(xv), tf.zeros([2])];
    kernels.rowSums64(heapOffset(be, x), 2, cols, heapOffset(be, out));
    expect(Array.from(out.dataSync())).toEqual([1 + 16 * 2 ** -24, 1 + 16 * 2 ** -24]);
    tf.dispose([x, out]);
  });
});

describe('SIMD bias and ReLU epilogue on the wasm heap', () => {
  it('is bitwise the stock Add and Relu kernels, on odd widths and special values', () => {
    const special = [Number.NaN, -0, 0, -1e-40, 1e-40, Infinity, -Infinity, -3.5, 2.25];
    for (const [rows, cols] of [[1, 1], [3, 4], [5, 7], [2, 13], [100, 1024]] as const) {
      for (const relu of [false, true]) {
        const cv = Float32Array.from({ length: rows * cols }, (_, i) => (i < special.length ? special[i]! : Math.sin(7 * i + 1) * 3));
        const bv = Float32Array.from({ length: cols }, (_, j) => (j === 1 ? -0 : j === 2 ? Number.NaN : Math.cos(3 * j) * 2));
        const want = tf.tidy(() => {
          const sum = tf.add(tf.tensor2d(cv, [rows, cols]), tf.tensor1d(bv));
          return Array.from((relu ? tf.relu(sum) : sum).dataSync());
        });
        const [c, b] = [tf.tensor1d(cv), tf.tensor1d(bv)];
        kernels.biasAct(heapOffset(be, c), rows, cols, heapOffset(be, b), relu);
        const got = Array.from(c.dataSync());
        const bad = got.findIndex((g, i) => !(Object.is(g, want[i]) || (Number.isNaN(g) && Number.isNaN(want[i]))));
        expect(bad, `${rows}×${cols} relu=${relu} [${bad}]: ${got[bad]} vs ${want[bad]}`).toBe(-1);
        tf.dispose([c, b]);
      }
    }
  });
});

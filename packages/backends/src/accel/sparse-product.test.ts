import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// bit for bit, −0 as itself and every NaN as one (a NaN's sign from 0·∞ is the CPU's, not the reference's)
import { bitsOneNaN as bits } from '../testing/float-bits.js';
import { activeWasm, installPureTier } from '../testing/pure-tier.js';
import { gemmReference } from '../testing/product-term.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { keptPackingVerdict, packingFor } from './packed-weights.js';
import { gemmKeptScratch, gemmPackedSize, gemmScratch, simdKernels, type SimdKernels } from './simd-kernels.js';
import { SPARSE_DENSITY, boundsOf, listChunks, sparseCheck, sparseScratch, type NonzeroList } from './sparse-product.js';
import { simdModuleBytes } from './simd-module.js';
import { SPARSE_GROUP } from './simd-sparse.js';
import { heapOffset } from './wasm-internals.js';
import { wasmFma } from './wasm-fma.js';

const be = activeWasm;
let gemm = false;
beforeAll(async () => {
  gemm = await installPureTier((m) => expect.fail(m));
});
afterAll(() => uninstallAcceleration());

/**
 * A with about `nonzero` of its elements other than zero (deterministic), and rows that test the edges: row 0 all
 * zeros, row 1 none, −0 where a zero falls on an odd column, and one NaN in row 2.
 */
function sparseA(m: number, k: number, nonzero: number): Float32Array {
  const a = Float32Array.from({ length: m * k }, (_, e) => {
    const keep = (Math.sin(13 * e + 5) + 1) / 2 < nonzero;
    return keep ? Math.sin(7 * e + 1) : e % 2 ? -0 : 0;
  });
  a.fill(0, 0, k);
  if (m > 1) for (let q = 0; q < k; q++) a[k + q] = 0.5 + Math.cos(q);
  if (m > 2) a[2 * k + 1] = Number.NaN;
  return a;
}

/**
 * One product through the kernels' GEMM from a kept packing of B: the first call fills the packing, the second reads it.
 * @returns the product and which GEMM the second call took
 */
function keptProduct(kernels: SimdKernels, a: Float32Array, b: Float32Array, m: number, k: number, n: number, opts: { finite: boolean; dense?: boolean }): { c: Float32Array; path: string } {
  const ts = [tf.tensor1d(a), tf.tensor1d(b), tf.fill([m * n + 8], 7.5), tf.fill([gemmKeptScratch(m, k)], Number.NaN), tf.zeros([gemmPackedSize(k, n)])];
  const [pa, pb, pc, ps, pp] = ts.map((t) => heapOffset(be(), t)) as [number, number, number, number, number];
  kernels.gemm(pa, pb, pc, m, k, n, false, ps, { off: pp, ready: false });
  const { path } = kernels.gemm(pa, pb, pc, m, k, n, false, ps, { off: pp, ready: true, finite: opts.finite }, opts.dense !== true);
  const out = (ts[2] as tf.Tensor).dataSync() as Float32Array;
  // nothing past C: the guard after it is untouched
  expect(Array.from(out.subarray(m * n))).toEqual(Array<number>(8).fill(7.5));
  tf.dispose(ts);
  return { c: out.slice(0, m * n), path };
}

describe('the sparse GEMM (an A with many zeros, times a finite kept packing)', () => {
  // groups of 3 panels and 1–2 panels left over, a partial last panel, k mod 4, one row, rows split in two pieces
  // unevenly (45), and the VIB layer's size
  const shapes: [number, number, number][] = [[3, 5, 9], [5, 17, 24], [7, 13, 40], [1, 64, 33], [9, 30, 61], [45, 64, 45], [100, 1024, 256]];
  it.each(shapes)('%i×%i×%i: bitwise the dense GEMM, and the k-order float32 sum', (m, k, n) => {
    if (!gemm) return;
    const kernels = simdKernels(be()) as SimdKernels;
    const a = sparseA(m, k, 0.2);
    const b = Float32Array.from({ length: k * n }, (_, e) => Math.cos(5 * e + 2));
    const sparse = keptProduct(kernels, a, b, m, k, n, { finite: true });
    const dense = keptProduct(kernels, a, b, m, k, n, { finite: true, dense: true });
    // small products stay dense: listing their nonzeros costs more than it saves
    expect(sparse.path).toBe(m * k * n >= 1 << 16 ? 'sparse' : 'dense');
    expect(dense.path).toBe('dense');
    expect(bits(sparse.c)).toEqual(bits(dense.c));
    expect(bits(sparse.c)).toEqual(bits(gemmReference(a, b, m, k, n)));
    if (m > 2) expect(Number.isNaN(sparse.c[2 * n] as number)).toBe(true); // the NaN in row 2 reaches its row
  });

  it('takes the sparse GEMM only where A is sparse enough and B is finite', () => {
    if (!gemm) return;
    const kernels = simdKernels(be()) as SimdKernels;
    const [m, k, n] = [40, 96, 48];
    const b = Float32Array.from({ length: k * n }, (_, e) => Math.cos(3 * e));
    expect(keptProduct(kernels, sparseA(m, k, 0.2), b, m, k, n, { finite: true }).path).toBe('sparse');
    // a dense A, and one just above the threshold, stay dense
    expect(keptProduct(kernels, sparseA(m, k, 1), b, m, k, n, { finite: true }).path).toBe('dense');
    expect(keptProduct(kernels, sparseA(m, k, SPARSE_DENSITY + 0.15), b, m, k, n, { finite: true }).path).toBe('dense');
    // zeros by column: nonzero only in every 16th column (a sampling of every 16th element saw it as dense), and
    // zero only there (seen as sparse)
    const byColumn = (nonzero: (col: number) => boolean): Float32Array => Float32Array.from({ length: m * k }, (_, e) => (nonzero(e % k) ? 1 + (e % 7) : 0));
    expect(keptProduct(kernels, byColumn((col) => col % 16 === 0), b, m, k, n, { finite: true }).path).toBe('sparse');
    expect(keptProduct(kernels, byColumn((col) => col % 16 !== 0), b, m, k, n, { finite: true }).path).toBe('dense');
    // B with an infinity: 0·∞ is NaN, so the zeros must be multiplied, as the dense GEMM does
    const a = sparseA(m, k, 0.2);
    const inf = b.slice();
    inf[5 * n + 3] = Number.POSITIVE_INFINITY; // row 0 of A is all zeros: its column 3 must be NaN
    const got = keptProduct(kernels, a, inf, m, k, n, { finite: false });
    expect(got.path).toBe('dense');
    expect(Number.isNaN(got.c[3] as number)).toBe(true);
    expect(bits(got.c)).toEqual(bits(gemmReference(a, inf, m, k, n)));
  });
});

/** One product through the kernels' GEMM with B packed by the call (a training step's weight, or its transpose). */
function freshProduct(kernels: SimdKernels, a: Float32Array, b: Float32Array, m: number, k: number, n: number, transposeB: boolean, sparse: boolean): { c: Float32Array; path: string; finite: boolean } {
  const ts = [tf.tensor1d(a), tf.tensor1d(b), tf.fill([m * n + 8], 7.5), tf.fill([gemmScratch(m, k, n)], Number.NaN)];
  const [pa, pb, pc, ps] = ts.map((t) => heapOffset(be(), t)) as [number, number, number, number];
  const { path, finite } = kernels.gemm(pa, pb, pc, m, k, n, transposeB, ps, undefined, sparse);
  const out = (ts[2] as tf.Tensor).dataSync() as Float32Array;
  expect(Array.from(out.subarray(m * n))).toEqual(Array<number>(8).fill(7.5));
  tf.dispose(ts);
  return { c: out.slice(0, m * n), path, finite };
}

/** B (k×n) stored transposed (n×k). */
const transposed = (b: Float32Array, k: number, n: number): Float32Array => Float32Array.from({ length: k * n }, (_, e) => b[(e % k) * n + Math.floor(e / k)] as number);

describe('the sparse GEMM with B packed by the call (training steps)', () => {
  const shapes: [number, number, number][] = [[9, 130, 61], [40, 97, 48], [100, 256, 130]];
  it.each(shapes)('%i×%i×%i, B plain and transposed: bitwise the dense GEMM', (m, k, n) => {
    if (!gemm) return;
    const kernels = simdKernels(be()) as SimdKernels;
    const a = sparseA(m, k, 0.2);
    const b = Float32Array.from({ length: k * n }, (_, e) => Math.cos(5 * e + 2));
    const want = bits(gemmReference(a, b, m, k, n));
    for (const tB of [false, true]) {
      const bb = tB ? transposed(b, k, n) : b;
      const sparse = freshProduct(kernels, a, bb, m, k, n, tB, true);
      expect([sparse.path, sparse.finite], `tB=${tB}`).toEqual(['sparse', true]);
      expect(bits(sparse.c), `tB=${tB}`).toEqual(want);
      const dense = freshProduct(kernels, a, bb, m, k, n, tB, false);
      expect([dense.path, dense.finite], `tB=${tB}`).toEqual(['dense', true]);
      expect(bits(dense.c), `tB=${tB}`).toEqual(want);
    }
  });

  it('notes an infinity or a NaN in B as it packs and multiplies again densely: 0·∞ stays NaN', () => {
    if (!gemm) return;
    const kernels = simdKernels(be()) as SimdKernels;
    const [m, k, n] = [40, 97, 61];
    const a = sparseA(m, k, 0.2);
    // in a whole panel, in the transposed packing's k mod 4 rows (k = 96), and in the last partial panel
    for (const [row, col, v] of [[5, 3, Infinity], [96, 20, Number.NaN], [40, 60, -Infinity]] as const) {
      const b = Float32Array.from({ length: k * n }, (_, e) => Math.cos(3 * e));
      b[row * n + col] = v;
      const want = bits(gemmReference(a, b, m, k, n));
      for (const tB of [false, true]) {
        const got = freshProduct(kernels, a, tB ? transposed(b, k, n) : b, m, k, n, tB, true);
        expect([got.path, got.finite], `B[${row}][${col}] = ${v}, tB=${tB}`).toEqual(['dense', false]);
        // the dense GEMM's own packing finds it too
        expect(freshProduct(kernels, a, tB ? transposed(b, k, n) : b, m, k, n, tB, false).finite).toBe(false);
        expect(bits(got.c), `B[${row}][${col}] = ${v}, tB=${tB}`).toEqual(want);
        expect(Number.isNaN(got.c[col] as number)).toBe(true); // row 0 of A is all zeros
      }
    }
  });
});

describe('the pure tier takes the sparse GEMM for kept weights and self-checks its first product', () => {
  /** x·w through the registered BatchMatMul (the pure tier's override), read back. */
  const product = (x: tf.Tensor, w: tf.Tensor): Float32Array =>
    tf.tidy(() => (tf.engine().runKernel('BatchMatMul', { a: x, b: w }, { transposeA: false, transposeB: false } as never) as tf.Tensor).dataSync() as Float32Array);

  it('runs ReLU activations sparse, fresh weight or kept, checked once against the dense GEMM, with the same bits', async () => {
    if (!gemm) return;
    const warnings: string[] = [];
    await installAcceleration({ tier: 'pure', warn: (m) => warnings.push(m) });
    const [m, k, n] = [64, 200, 90];
    const x = tf.tidy(() => tf.relu(tf.randomNormal([m, k], -0.7, 1, 'float32', 3)));
    const w = tf.randomNormal([k, n], 0, 0.1, 'float32', 4);
    const want = bits(gemmReference(x.dataSync() as Float32Array, w.dataSync() as Float32Array, m, k, n));
    expect(sparseCheck.verdict).toBe('unchecked');
    const runs = [product(x, w)]; // packs into scratch: sparse, checked against the dense GEMM
    expect(sparseCheck.verdict).toBe('passed');
    runs.push(product(x, w), product(x, w)); // fills the kept packing, then reads it
    for (const r of runs) expect(bits(r)).toEqual(want);
    expect(warnings).toEqual([]);
    tf.dispose([x, w]);
  });

  it('keeps a weight holding an infinity dense: zeros of A times ∞ stay NaN, as in every other product', async () => {
    if (!gemm) return;
    await installAcceleration({ tier: 'pure', warn: (msg) => expect.fail(msg) });
    const [m, k, n] = [64, 200, 90];
    const xs = tf.tidy(() => tf.relu(tf.randomNormal([m, k], -0.7, 1, 'float32', 9)).dataSync() as Float32Array);
    const x = tf.tensor2d(Float32Array.from(xs, (v, e) => (e % k === 0 ? 0 : v)), [m, k]); // column 0 all zeros
    const ws = tf.tidy(() => tf.randomNormal([k, n], 0, 0.1, 'float32', 10).dataSync() as Float32Array);
    ws[7] = Number.POSITIVE_INFINITY; // row 0, column 7: meets only zeros of x
    const w = tf.tensor2d(ws, [k, n]);
    const runs = [product(x, w), product(x, w), product(x, w)]; // scratch, filling the kept packing, reading it
    for (const r of runs) for (let i = 0; i < m; i++) expect(Number.isNaN(r[i * n + 7] as number), `row ${i}`).toBe(true);
    expect(bits(runs[2] as Float32Array)).toEqual(bits(runs[0] as Float32Array));
    expect(sparseCheck.verdict).toBe('unchecked'); // no product took the sparse GEMM
    tf.dispose([x, w]);
  });

  it('on a disagreement warns once, returns the dense product, and multiplies densely from then on', async () => {
    if (!gemm) return;
    const warnings: string[] = [];
    await installAcceleration({ tier: 'pure', warn: (m) => warnings.push(m) });
    const [m, k, n] = [64, 200, 90];
    // dense left operands (no sparse product): the kept packings' own self-check passes, and w's packing is kept
    const [dx, dw] = [tf.randomUniform([m, k], 0.5, 1, 'float32', 7), tf.randomNormal([k, n], 0, 0.1, 'float32', 8)];
    for (let i = 0; i < 3; i++) product(dx, dw);
    const w = tf.randomNormal([k, n], 0, 0.1, 'float32', 6);
    product(dx, w);
    product(dx, w); // fills w's kept packing
    expect([keptPackingVerdict(), sparseCheck.verdict]).toEqual(['passed', 'unchecked']);
    // the sparse GEMM reads only the kept panels' rows that A's nonzeros pick, the dense one every row: spoil one
    // that no nonzero picks (column 0 of xz is zero in every row), so that only the dense product sees it
    const xs = tf.tidy(() => tf.relu(tf.randomNormal([m, k], -0.7, 1, 'float32', 5)).dataSync() as Float32Array);
    const xz = tf.tensor2d(Float32Array.from(xs, (v, e) => (e % k === 0 ? 0 : v)), [m, k]);
    const ws = w.dataSync() as Float32Array;
    const { off } = packingFor(be(), w as never, false, k, n);
    be().wasm.HEAPF32.fill(Number.NaN, off, off + 8); // panel 0, k-row 0
    const got = bits(product(xz, w)); // reads it: sparse, then the check's dense product
    expect(sparseCheck.verdict).toBe('failed');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/sparse form disagrees with the dense GEMM.*dense products only/);
    // the dense product is returned: NaN in panel 0's columns, where the spoiled row meets xz's zeros
    expect(got[0]).toBe(0x7fc00000);
    expect(got).not.toEqual(bits(gemmReference(xz.dataSync() as Float32Array, ws, m, k, n)));
    // later products are dense, fresh or kept: a fresh one is right, the kept one reads the spoiled row too
    const w2 = tf.randomNormal([k, n], 0, 0.1, 'float32', 9);
    expect(bits(product(xz, w2))).toEqual(bits(gemmReference(xz.dataSync() as Float32Array, w2.dataSync() as Float32Array, m, k, n)));
    expect(bits(product(xz, w))[0]).toBe(0x7fc00000);
    expect(warnings).toHaveLength(1);
    await installAcceleration({ tier: 'pure', warn: (msg) => expect.fail(msg) });
    tf.dispose([w, w2, xz, dx, dw]);
  });
});

describe("the sparse kernels' read ahead", () => {
  // k = 20: one chunk of the depth; k = 600: three (200 k-rows each), the read ahead after each chunk's last pair
  it.each([20, 600])("reads no further than a list's chunk ends: a full last row, with the list's words at the memory's end (k = %i)", (k) => {
    // A, B's panels and C first, then the list, its row lengths and its chunk ends as the last bytes of the memory
    const [m, n] = [3, 24];
    const chunks = listChunks(k);
    const floats = m * k + k * n + m * n + sparseScratch(m, k);
    const memory = new WebAssembly.Memory({ initial: Math.ceil((floats * 4) / 65536) });
    const x = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes(false, wasmFma().madd)), { env: { mem: memory } }).exports as Record<string, (...args: number[]) => void>;
    const heap = new Float32Array(memory.buffer);
    const a = Float32Array.from({ length: m * k }, (_, e) => (e % 3 === 0 && e < (m - 1) * k ? 0 : Math.sin(e + 1)));
    const b = Float32Array.from({ length: k * n }, (_, e) => Math.cos(3 * e));
    const [aOff, bpOff, cOff] = [0, m * k, m * k + k * n];
    const listOff = heap.length - sparseScratch(m, k);
    const countsOff = listOff + 2 * m * k;
    const boundsOff = boundsOf({ countsOff }, m);
    expect(boundsOff + m * chunks).toBe(heap.length);
    heap.set(a, aOff);
    for (let p = 0; p < n / 8; p++) for (let q = 0; q < k; q++) for (let j = 0; j < 8; j++) heap[bpOff + (p * k + q) * 8 + j] = b[q * n + 8 * p + j] as number;
    const call = (name: string, ...args: number[]): void => (x[name] as (...args: number[]) => void)(...args);
    call('rowNonzeros', aOff * 4, k * 4, m, listOff * 4, countsOff * 4, boundsOff * 4, chunks);
    expect(new Int32Array(memory.buffer, countsOff * 4, m)[m - 1]).toBe(8 * k); // the last row is full
    const want = bits(gemmReference(a, b, m, k, n));
    // three panels as one group, then each panel alone
    call(`sparse${SPARSE_GROUP}`, listOff * 4, boundsOff * 4, bpOff * 4, cOff * 4, n * 4, k * 32, m, 0, 1, chunks);
    expect(bits(heap.slice(cOff, cOff + m * n))).toEqual(want);
    heap.fill(0, cOff, cOff + m * n);
    call('sparse1', listOff * 4, boundsOff * 4, bpOff * 4, cOff * 4, n * 4, k * 32, m, 0, n / 8, chunks);
    expect(bits(heap.slice(cOff, cOff + m * n))).toEqual(want);
  });
});

describe("a list's chunks of the depth (the sparse kernels take a group's panels a chunk of k at a time)", () => {
  /** Each row's chunk ends as pairs, counted here: chunk c holds columns [c·len, (c+1)·len), the last to the row's end. */
  function chunkEnds(a: Float32Array, m: number, k: number): number[] {
    const chunks = listChunks(k);
    const len = 4 * Math.ceil(k / (4 * chunks));
    const ends: number[] = [];
    for (let i = 0; i < m; i++) {
      let pairs = 0;
      for (let c = 0; c < chunks; c++) {
        const stop = c === chunks - 1 ? k : Math.min(k, (c + 1) * len);
        for (let q = c * len; q < stop; q++) if (!Object.is(a[i * k + q], 0) && !Object.is(a[i * k + q], -0)) pairs++;
        ends.push(pairs);
      }
    }
    return ends;
  }

  it('chunks of at most 256 k-rows, as even as whole turns of 4 make them', () => {
    expect([1, 4, 255, 256, 257, 784, 1024, 1025, 5000].map(listChunks)).toEqual([1, 1, 1, 1, 2, 4, 4, 5, 20]);
    expect(listChunks(0)).toBe(1);
    // each row's words: 2k for its pairs, its length, its chunk ends
    expect(sparseScratch(3, 784)).toBe(3 * 2 * 784 + 3 + 3 * 4);
  });

  // k = 785: chunks of 200, 200, 200 and 185 k-rows (k mod 4 = 1, in the last); 258: 132 and 126; 1030: five chunks
  it.each([[7, 785, 40], [9, 258, 32], [6, 1030, 24]])('%i×%i×%i: chunk ends counted, rows empty in some chunks, bitwise the dense GEMM', (m, k, n) => {
    if (!gemm) return;
    const kernels = simdKernels(be()) as SimdKernels;
    const a = sparseA(m, k, 0.3);
    const chunks = listChunks(k);
    const len = 4 * Math.ceil(k / (4 * chunks));
    // row 3: nonzero only in its last chunk; row 4: only in its first; row 5 (where there is one): only in the middle
    if (m > 3) a.fill(0, 3 * k, 3 * k + (chunks - 1) * len);
    if (m > 4) a.fill(0, 4 * k + Math.min(k, len), 5 * k);
    if (m > 5) (a.fill(0, 5 * k, 5 * k + len), a.fill(0, 5 * k + 2 * len, 6 * k));
    const h = be().wasm.HEAPF32;
    const ts = [tf.tensor1d(a), tf.fill([sparseScratch(m, k)], Number.NaN)];
    const [pa, ps] = ts.map((t) => heapOffset(be(), t)) as [number, number];
    const list = kernels.listNonzeros(pa, m, k, ps, false) as NonzeroList;
    const ends = new Int32Array(h.buffer, h.byteOffset + boundsOf(list, m) * 4, m * chunks);
    expect(Array.from(ends, (x) => x / 8)).toEqual(chunkEnds(a, m, k));
    tf.dispose(ts);
    const b = Float32Array.from({ length: k * n }, (_, e) => Math.cos(5 * e + 2));
    const sparse = keptProduct(kernels, a, b, m, k, n, { finite: true });
    expect(sparse.path).toBe('sparse');
    expect(bits(sparse.c)).toEqual(bits(keptProduct(kernels, a, b, m, k, n, { finite: true, dense: true }).c));
    expect(bits(sparse.c)).toEqual(bits(gemmReference(a, b, m, k, n)));
  });
});

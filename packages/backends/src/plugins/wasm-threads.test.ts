import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { simdHelperFor } from '../accel/simd-helper.js';
import { gemmKeptScratch, gemmPackedSize, gemmScratch, simdKernels } from '../accel/simd-kernels.js';
import { rowsCheck } from '../accel/pure-rows-matmul.js';
import { sparseCheck } from '../accel/sparse-product.js';
import { heapOffset, wasmInternals } from '../accel/wasm-internals.js';
import { wasmBackend } from './wasm-backend.js';
import { inferByRows } from '../testing/infer-by-rows.js';
import { exactBits } from '../testing/float-bits.js';
import { trainThree } from '../testing/train-three.js';
import { activeWasmBuild } from './wasm-threads.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/**
 * A·op(B) by the SIMD GEMM on the current backend, A and B of sines and cosines, into C and scratch first NaN (every
 * element must be written, none read); with `transposedA`, A is given as its transpose (k×m).
 */
function gemmOf(m: number, k: number, n: number, transposeB = false, transposedA = false): Float32Array {
  const be = wasmInternals(tf.backend()) as NonNullable<ReturnType<typeof wasmInternals>>;
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(3 * i + 1));
  const left = transposedA ? Float32Array.from({ length: k * m }, (_, i) => a[(i % m) * k + Math.floor(i / m)] as number) : a;
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(5 * i + 2));
  const ts = [tf.tensor1d(left), tf.tensor1d(b), tf.fill([m * n], Number.NaN), tf.fill([gemmScratch(m, k, n)], Number.NaN)];
  const [pa, pb, pc, ps] = ts.map((t) => heapOffset(be, t)) as [number, number, number, number];
  simdKernels(be)?.gemm(pa, pb, pc, m, k, n, transposeB, ps, undefined, false, undefined, false, transposedA);
  const out = ((ts[2] as tf.Tensor).dataSync() as Float32Array).slice();
  tf.dispose(ts);
  return out;
}
/** `run`'s result, and how many calls the current backend's helper thread took while it ran. */
function withHelperCalls<T>(run: () => T): { out: T; calls: number } {
  const be = wasmInternals(tf.backend());
  const helper = simdHelperFor((be?.wasm as unknown as { wasmMemory: WebAssembly.Memory }).wasmMemory);
  const before = helper?.calls ?? 0;
  const out = run();
  return { out, calls: (helper?.calls ?? 0) - before };
}
/** The bits of a float32 array (an output that must be there). */
const bitsOf = (x: Float32Array | undefined): number[] => exactBits(x as Float32Array);
/** How many elements of `got` are not `want`'s (Object.is: −0 and NaN as themselves). */
function differing(got: ArrayLike<number>, want: ArrayLike<number> | undefined): number {
  let n = 0;
  for (let e = 0; e < got.length; e++) if (!Object.is(got[e], want?.[e])) n++;
  return n;
}
/** `run` on the pure tier with one thread, then with two: both results. */
async function oneThenTwo<T>(run: () => T): Promise<[T, T]> {
  await wasmBackend.setup({ tier: 'pure', threads: 1 });
  const one = run();
  await wasmBackend.setup({ tier: 'pure', threads: 2 });
  return [one, run()];
}

describe('the pure tier on tfjs-wasm\'s threaded build in Node', () => {
  afterAll(async () => {
    await wasmBackend.setup({ tier: 'pure', threads: 1 });
  });

  it('runs the threaded build for its shared heap (XNNPACK on the calling thread), with the SIMD kernels and their helper thread, bitwise the single-threaded build', async () => {
    const plain = await wasmBackend.setup({ tier: 'pure', threads: 1 });
    expect(plain.threads).toBe(1);
    expect(activeWasmBuild().kind).toBe('plain');
    const one = trainThree();

    const threaded = await wasmBackend.setup({ tier: 'pure', threads: 2 });
    expect(threaded.threads).toBe(2);
    expect(threaded.reason).toMatch(/threaded build for its shared heap, XNNPACK kernels on the calling thread/);
    expect(activeWasmBuild()).toEqual({ kind: 'threaded', threads: 2 });
    const be = wasmInternals(tf.backend());
    expect(be && Object.prototype.toString.call(be.wasm.HEAPF32.buffer)).toBe('[object SharedArrayBuffer]');
    expect(be && simdKernels(be), 'the SIMD module instantiates on the shared memory').toBeTruthy();
    // tfjs's own pool is the calling thread alone (the one pthread worker the module starts with stays idle)
    const module = be?.wasm as unknown as { tfjs: { getThreadsCount(): number }; PThread: { runningWorkers: unknown[] } };
    expect(module.tfjs.getThreadsCount()).toBe(1);
    expect(module.PThread.runningWorkers.length).toBeLessThanOrEqual(1);
    expect(threaded.reason).toMatch(/; matmuls, Adam and transposes split with a helper thread/);
    const helper = simdHelperFor((be?.wasm as unknown as { wasmMemory: WebAssembly.Memory }).wasmMemory);
    const before = helper?.calls ?? -1;
    const two = trainThree();
    // w1 (301 × 257) is long enough for the helper: its Adam updates and the transposes of its gradient's operands
    expect((helper?.calls ?? 0) - before).toBeGreaterThanOrEqual(6);

    expect(two.length).toBe(one.length);
    expect(differing(two, one)).toBe(0);
    // and training moved the weights (the comparison is not between two untouched initializations)
    const fresh = tf.tidy(() => tf.randomNormal([301, 257], 0, 0.1, 'float32', 1).dataSync());
    expect(one.subarray(0, 10)).not.toEqual(fresh.subarray(0, 10));
  });

  it('splits a long GEMM over the helper thread, bit for bit the single-threaded build\'s', async () => {
    const [m, k, n] = [33, 67, 131]; // 16 whole panels and a partial one, k mod 4 = 3, 290k multiply-adds: long enough to split
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(3 * i + 1));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(5 * i + 2));
    const product = (transposeB: boolean): Float32Array => gemmOf(m, k, n, transposeB);
    await wasmBackend.setup({ tier: 'pure', threads: 1 });
    const one = [product(false), product(true)];
    await wasmBackend.setup({ tier: 'pure', threads: 2 });
    const be = wasmInternals(tf.backend());
    const helper = simdHelperFor((be?.wasm as unknown as { wasmMemory: WebAssembly.Memory }).wasmMemory);
    const before = helper?.calls ?? -1;
    const two = [product(false), product(true)];
    expect((helper?.calls ?? 0) - before).toBe(2); // one call each: its half of the panels
    expect(two).toEqual(one);

    // a kept packing (a weight at inference): filled by one call, both threads packing the panels they claim, then
    // read by the next with B's buffer overwritten by NaN (B must not be read then)
    const kept = [false, true].map((transposeB) => {
      const k4 = wasmInternals(tf.backend()) as NonNullable<ReturnType<typeof wasmInternals>>;
      const ts = [tf.tensor1d(a), tf.tensor1d(b), tf.zeros([m * n]), tf.zeros([gemmKeptScratch(m, k)]), tf.zeros([gemmPackedSize(k, n)])];
      const [pa, pb, pc, ps, pp] = ts.map((t) => heapOffset(k4, t)) as [number, number, number, number, number];
      simdKernels(k4)?.gemm(pa, pb, pc, m, k, n, transposeB, ps, { off: pp, ready: false });
      const filled = ((ts[2] as tf.Tensor).dataSync() as Float32Array).slice();
      k4.wasm.HEAPF32.fill(Number.NaN, pb, pb + k * n);
      simdKernels(k4)?.gemm(pa, pb, pc, m, k, n, transposeB, ps, { off: pp, ready: true });
      const read = (ts[2] as tf.Tensor).dataSync() as Float32Array;
      tf.dispose(ts);
      return [filled, read];
    });
    expect((helper?.calls ?? 0) - before).toBe(6);
    expect(kept.map(([filled]) => filled)).toEqual(one);
    expect(kept.map(([, read]) => read)).toEqual(one);
  });

  it('splits a GEMM of one group of panels or fewer by rows (the first half this thread\'s, the rest the helper\'s once it has started), bit for bit one thread\'s', async () => {
    // a narrow convolution's forward product (many rows, k = 25, 4 panels); 3 whole panels and a partial one, 77 rows
    // (the helper's part ends in a 1-row tail), B transposed; 2 panels, 21 rows: the fewest split
    const shapes: [number, number, number, boolean][] = [[3001, 25, 32, false], [77, 301, 29, true], [21, 3000, 16, false]];
    const [one, two] = await oneThenTwo(() => withHelperCalls(() => shapes.map(([m, k, n, t]) => gemmOf(m, k, n, t))));
    expect(two.calls).toBe(shapes.length);
    one.out.forEach((o, i) => expect(o.some(Number.isNaN), `shape ${i}: every element written`).toBe(false));
    two.out.forEach((o, i) => expect(differing(o, one.out[i]), `shape ${i}`).toBe(0));
  });

  it('packs A from its transpose on both threads (rows split, panels split): bit for bit one thread\'s and the product of A itself', async () => {
    // a narrow convolution's filter gradient (25 rows, deep k, 4 panels: rows split; the helper's part ends in a 1-row
    // tail read from the tail packRowsT wrote), 77 rows by 3 panels and a partial one, and 16 whole panels and a
    // partial one (panels split)
    const shapes: [number, number, number][] = [[25, 20001, 32], [77, 301, 29], [33, 67, 131]];
    const [one, two] = await oneThenTwo(() => withHelperCalls(() => shapes.map(([m, k, n]) => gemmOf(m, k, n, false, true))));
    expect(two.calls).toBe(shapes.length);
    const plain = shapes.map(([m, k, n]) => gemmOf(m, k, n));
    one.out.forEach((o, i) => expect(o.some(Number.isNaN), `shape ${i}: every element written`).toBe(false));
    two.out.forEach((o, i) => expect(differing(o, one.out[i]), `shape ${i}`).toBe(0));
    one.out.forEach((o, i) => expect(differing(o, plain[i]), `shape ${i} against A itself`).toBe(0));
  });

  it('splits the sparse GEMM (an A with many zeros) over the helper thread, B kept or packed by the call, bit for bit one thread\'s', async () => {
    // 100 × 1024 ReLU-like rows (about 30 % nonzero) by 1024 × n: n = 100 is 4 groups of 3 panels, none left over
    // and a partial panel; n = 116 leaves 2 panels over (the last piece, which either thread may claim)
    const [m, k] = [100, 1024];
    const a = Float32Array.from({ length: m * k }, (_, i) => ((Math.sin(13 * i + 5) + 1) / 2 < 0.3 ? Math.sin(7 * i + 1) : 0));
    const product = (n: number): { c: Float32Array[]; path: string[] } => {
      const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(5 * i + 2));
      const be = wasmInternals(tf.backend()) as NonNullable<ReturnType<typeof wasmInternals>>;
      const ts = [tf.tensor1d(a), tf.tensor1d(b), tf.zeros([m * n]), tf.zeros([gemmScratch(m, k, n)]), tf.zeros([gemmPackedSize(k, n)])];
      const [pa, pb, pc, ps, pp] = ts.map((t) => heapOffset(be, t)) as [number, number, number, number, number];
      const kernels = simdKernels(be);
      const read = (): Float32Array => ((ts[2] as tf.Tensor).dataSync() as Float32Array).slice();
      // packed by the call (the threads pack the groups they claim), then a kept packing filled densely and read
      const path = [kernels?.gemm(pa, pb, pc, m, k, n, false, ps, undefined, true).path ?? 'none'];
      const c = [read()];
      kernels?.gemm(pa, pb, pc, m, k, n, false, ps, { off: pp, ready: false });
      path.push(kernels?.gemm(pa, pb, pc, m, k, n, false, ps, { off: pp, ready: true, finite: true }, true).path ?? 'none');
      c.push(read());
      tf.dispose(ts);
      return { c, path };
    };
    for (const n of [100, 116]) {
      await wasmBackend.setup({ tier: 'pure', threads: 1 });
      const one = product(n);
      await wasmBackend.setup({ tier: 'pure', threads: 2 });
      const be = wasmInternals(tf.backend());
      const helper = simdHelperFor((be?.wasm as unknown as { wasmMemory: WebAssembly.Memory }).wasmMemory);
      const before = helper?.calls ?? -1;
      const two = product(n);
      expect([...one.path, ...two.path]).toEqual(['sparse', 'sparse', 'sparse', 'sparse']);
      // sparse (its nonzeros listed, then the product), the dense call that fills the packing, sparse (both again)
      expect((helper?.calls ?? 0) - before).toBe(5);
      expect(two.c).toEqual(one.c);
      expect(two.c[1]).toEqual(one.c[0]);
    }
  });

  it('splits a fused matmul over the helper: bit for bit one thread\'s, and the unfused ops\'', async () => {
    // dense (x) and sparse (ReLU-like h, 60 % zeros) left operands, a partial last panel (n = 300), weights fresh
    // (packed by the call) and kept (the second call with the same weight)
    const [m, k, n] = [100, 256, 300];
    const xv = Float32Array.from({ length: m * k }, (_, i) => Math.sin(3 * i + 1));
    const hv = xv.map((x, i) => ((Math.sin(13 * i + 5) + 1) / 2 < 0.6 ? 0 : x));
    const wv = Float32Array.from({ length: k * n }, (_, i) => Math.cos(5 * i + 2) / 8);
    const biasv = Float32Array.from({ length: n }, (_, i) => Math.sin(i) / 2);
    const forward = (): Float32Array[] => {
      const [w, bias] = [tf.tensor2d(wv, [k, n]), tf.tensor1d(biasv)];
      const outs = [xv, hv, xv, hv].flatMap((v) => tf.tidy(() => {
        const a = tf.tensor2d(v, [m, k]);
        const fused = tf.fused.matMul({ a, b: w, bias, activation: 'relu' }).dataSync() as Float32Array;
        return [fused, tf.relu(tf.add(tf.matMul(a, w), bias)).dataSync() as Float32Array];
      }));
      tf.dispose([w, bias]);
      return outs;
    };
    await wasmBackend.setup({ tier: 'pure', threads: 1 });
    const one = forward();
    await wasmBackend.setup({ tier: 'pure', threads: 2 });
    const be = wasmInternals(tf.backend());
    const helper = simdHelperFor((be?.wasm as unknown as { wasmMemory: WebAssembly.Memory }).wasmMemory);
    const before = helper?.calls ?? -1;
    const two = forward();
    expect((helper?.calls ?? 0) - before).toBeGreaterThanOrEqual(8);
    // the sparse products' first-use check (against the dense GEMM) passed: they stayed sparse
    expect(sparseCheck.verdict).toBe('passed');
    for (let i = 0; i < two.length; i += 2) {
      expect(bitsOf(two[i])).toEqual(bitsOf(one[i]));
      expect(bitsOf(two[i])).toEqual(bitsOf(two[i + 1]));
    }
  });

  it('runs fused products with kept weights by rows over the helpers, listing ReLU outputs for the next: bit for bit one thread\'s', async () => {
    await wasmBackend.setup({ tier: 'pure', threads: 1 });
    const one = inferByRows();
    await wasmBackend.setup({ tier: 'pure', threads: 2 });
    const be = wasmInternals(tf.backend());
    const helper = simdHelperFor((be?.wasm as unknown as { wasmMemory: WebAssembly.Memory }).wasmMemory);
    const before = helper?.calls ?? -1;
    const two = inferByRows();
    // by rows from the third call on, but for the first layer's third (the kept packings' own check): 8 products
    expect([one.rows, two.rows]).toEqual([8, 8]);
    expect((helper?.calls ?? 0) - before).toBeGreaterThanOrEqual(6);
    expect(rowsCheck.verdict).toBe('passed');
    // three threads: three parts of the rows
    await wasmBackend.setup({ tier: 'pure', threads: 3 });
    const three = inferByRows();
    expect(three.rows).toBe(8);
    for (let i = 0; i < two.outs.length; i++) {
      expect(bitsOf(two.outs[i]), `call ${i}`).toEqual(bitsOf(one.outs[i]));
      expect(bitsOf(three.outs[i]), `call ${i}`).toEqual(bitsOf(one.outs[i]));
    }
  });

  it('multiplies densely by rows from a listed output with three parts of 70 rows (the last part packs rows 46–69) without overrunning its scratch: bit for bit one thread\'s', async () => {
    await wasmBackend.setup({ tier: 'pure', threads: 1 });
    const one = inferByRows(true);
    for (const threads of [2, 3]) {
      await wasmBackend.setup({ tier: 'pure', threads });
      // (with A packed into (m & ~3)·k floats, as it was, three threads wrote two rows past the scratch, and a later
      // free of the heap failed with "memory access out of bounds")
      const many = inferByRows(true);
      expect(many.rows, `${threads} threads`).toBe(one.rows);
      for (let i = 0; i < one.outs.length; i++) {
        expect(bitsOf(many.outs[i]), `${threads} threads, call ${i}`).toEqual(bitsOf(one.outs[i]));
      }
    }
    // by rows from the third call on (8 products, as without the bias of 1): the head's dense products ran by rows
    expect(one.rows).toBe(8);
  });

  it('runs products by rows on 3 to 6 threads for batches of 33 to 150 rows, sparse and dense hidden layers: bit for bit one thread\'s', async () => {
    // parts of the rows that start anywhere (up to ⌊m/16⌋ of them), each packing or listing its own rows
    const batches = [33, 47, 61, 77, 101, 150];
    const key = (m: number, dense: boolean): string => `${m} rows${dense ? ', dense hidden layer' : ''}`;
    const one = new Map<string, Float32Array[]>();
    await wasmBackend.setup({ tier: 'pure', threads: 1 });
    for (const m of batches) for (const dense of [false, true]) one.set(key(m, dense), inferByRows(dense, m).outs);
    for (const threads of [3, 4, 5, 6]) {
      await wasmBackend.setup({ tier: 'pure', threads });
      for (const m of batches) {
        for (const dense of [false, true]) {
          const { outs } = inferByRows(dense, m);
          const want = one.get(key(m, dense)) as Float32Array[];
          for (let i = 0; i < outs.length; i++) expect(bitsOf(outs[i]), `${threads} threads, ${key(m, dense)}, call ${i}`).toEqual(bitsOf(want[i]));
        }
      }
    }
  });

  it('splits long elementwise functions (exp … sigmoid, the fused chains) over the helper, bit for bit one thread\'s', async () => {
    const n = 50_003; // 12 pieces of 4096 floats and a scalar tail of 3
    const a = Float32Array.from({ length: n }, (_, i) => 12 * Math.sin(7 * i + 1));
    const b = Float32Array.from({ length: n }, (_, i) => Math.cos(3 * i + 2));
    const c = Float32Array.from({ length: n }, (_, i) => Math.sin(5 * i));
    const run = (): { out: Float32Array[]; calls: number } => {
      const be = wasmInternals(tf.backend()) as NonNullable<ReturnType<typeof wasmInternals>>;
      const kernels = simdKernels(be);
      const helper = simdHelperFor((be.wasm as unknown as { wasmMemory?: WebAssembly.Memory }).wasmMemory as WebAssembly.Memory);
      const before = helper?.calls ?? 0;
      const ts = [tf.tensor1d(a), tf.tensor1d(b), tf.tensor1d(c), tf.zeros([n])];
      const [pa, pb, pc, po] = ts.map((t) => heapOffset(be, t)) as [number, number, number, number];
      const out: Float32Array[] = [];
      const read = (): Float32Array => ((ts[3] as tf.Tensor).dataSync() as Float32Array).slice();
      for (let op = 0; op < 6; op++) {
        kernels?.unary(op, op === 1 || op === 2 ? pb : pa, po, n); // log and log1p of values in [−1, 1]: NaN below 0 and −1
        out.push(read());
      }
      for (let op = 0; op < 6; op++) {
        kernels?.fused(op, pa, pb, pc, po, n);
        out.push(read());
      }
      tf.dispose(ts);
      return { out, calls: (helper?.calls ?? 0) - before };
    };
    const [one, two] = await oneThenTwo(run);
    expect(two.calls).toBe(12);
    expect(two.out.length).toBe(12);
    two.out.forEach((o, i) => expect(differing(o, one.out[i]), `function ${i}`).toBe(0));
  });

  it('splits passes over images (fields unfolded and folded, max pools and their gradients) over the helper, one image a piece: bit for bit one thread\'s', async () => {
    // fields: 8 images of 14 × 14 × 8, 5 × 5 windows, stride 1, padding 2 (313,600 floats of fields); pools: 8 images
    // of 32 × 32 × 9, 2 × 2 windows, stride 2 (channels 0–7 in the SIMD pass)
    const conv = [14, 14, 8, 14, 14, 5, 5, 1, 1, 2, 2] as const;
    const pool = [32, 32, 9, 16, 16, 2, 2, 2, 2, 0, 0] as const;
    const batch = 8;
    const fill = (len: number, f: (i: number) => number): Float32Array => Float32Array.from({ length: len }, (_, i) => f(i));
    const [xLen, fieldsLen, pxLen, pyLen] = [batch * 14 * 14 * 8, batch * 14 * 14 * 25 * 8, batch * 32 * 32 * 9, batch * 16 * 16 * 9];
    const run = (): { out: Float32Array[]; calls: number } => {
      const be = wasmInternals(tf.backend()) as NonNullable<ReturnType<typeof wasmInternals>>;
      const kernels = simdKernels(be);
      const helper = simdHelperFor((be.wasm as unknown as { wasmMemory?: WebAssembly.Memory }).wasmMemory as WebAssembly.Memory);
      const before = helper?.calls ?? 0;
      const ts = [
        tf.tensor1d(fill(xLen, (i) => Math.sin(3 * i + 1))), // x
        tf.tensor1d(fill(fieldsLen, () => Number.NaN)), // its fields
        tf.tensor1d(fill(xLen, (i) => Math.cos(i))), // dx the fields are folded onto
        tf.tensor1d(fill(pxLen, (i) => Math.round(4 * Math.sin(5 * i)))), // the pool's input, with ties
        tf.tensor1d(fill(pyLen, () => Number.NaN)), // its output
        tf.tensor1d(fill(pyLen, (i) => Math.sin(i) - 0.5)), // its dy
        tf.tensor1d(fill(pxLen, () => 7)), // its dx
      ];
      const [x, fields, dx, px, py, pdy, pdx] = ts.map((t) => heapOffset(be, t)) as [number, number, number, number, number, number, number];
      kernels?.fields(false, x, fields, 0, batch, conv);
      kernels?.fields(true, dx, fields, 0, batch, conv);
      kernels?.maxPool4(px, py, batch, pool, 8);
      kernels?.maxPoolGrad4(px, pdy, pdx, batch, pool, 8);
      const out = [1, 2, 4, 6].map((i) => ((ts[i] as tf.Tensor).dataSync() as Float32Array).slice());
      tf.dispose(ts);
      return { out, calls: (helper?.calls ?? 0) - before };
    };
    const [one, two] = await oneThenTwo(run);
    expect(two.calls).toBe(4);
    // every field written (no NaN left from the fill; x has no NaN), the fold moved dx, the pool wrote its 8 channels
    expect(one.out[0]?.some(Number.isNaN)).toBe(false);
    expect(one.out[1]?.[0]).not.toBe(Math.fround(Math.cos(0)));
    expect(one.out[2]?.filter(Number.isNaN).length).toBe(batch * 16 * 16);
    two.out.forEach((o, i) => expect(differing(o, one.out[i]), `pass ${i}`).toBe(0));
  });

  it('packs a wide convolution\'s fields straight from its input on the helper too (forward, filter gradient): bit for bit one thread\'s', async () => {
    const run = (): { out: Float32Array[]; calls: number } => {
      const be = wasmInternals(tf.backend()) as NonNullable<ReturnType<typeof wasmInternals>>;
      const helper = simdHelperFor((be.wasm as unknown as { wasmMemory?: WebAssembly.Memory }).wasmMemory as WebAssembly.Memory);
      const before = helper?.calls ?? 0;
      const out = tf.tidy(() => {
        const x = tf.randomNormal([6, 14, 14, 32], 0, 1, 'float32', 11) as tf.Tensor4D;
        const w = tf.randomNormal([5, 5, 32, 24], 0, 0.1, 'float32', 12) as tf.Tensor4D;
        // the loss's gradient through a ReLU: dy mostly zeros where the forward output was negative
        const loss = (f: tf.Tensor): tf.Scalar => tf.sum(tf.relu(tf.conv2d(x, f as tf.Tensor4D, 1, 'same')).mul(tf.randomNormal([6, 14, 14, 24], 0, 1, 'float32', 13)));
        const { value, grad } = tf.valueAndGrad(loss)(w);
        return [tf.conv2d(x, w, 1, 'same'), value, grad].map((t) => (t.dataSync() as Float32Array).slice());
      });
      return { out, calls: (helper?.calls ?? 0) - before };
    };
    const [one, two] = await oneThenTwo(run);
    expect(two.calls).toBeGreaterThan(0);
    two.out.forEach((o, i) => expect(differing(o, one.out[i]), `output ${i}`).toBe(0));
  });

  it('leaves a helper that has not woken for a call out of it, the calling thread doing all of it: bit for bit one thread\'s', async () => {
    // products split by panels (dense, and sparse with its list of nonzeros), by rows (one group of panels, where the
    // helper's half of the rows is the calling thread's to finish), by rows of a fused product, and an elementwise pass
    const [m, k, n] = [100, 1024, 116];
    const sparse = Float32Array.from({ length: m * k }, (_, i) => ((Math.sin(13 * i + 5) + 1) / 2 < 0.3 ? Math.sin(7 * i + 1) : 0));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(5 * i + 2));
    const run = (): Float32Array[] => {
      const be = wasmInternals(tf.backend()) as NonNullable<ReturnType<typeof wasmInternals>>;
      const ts = [tf.tensor1d(sparse), tf.tensor1d(b), tf.zeros([m * n]), tf.zeros([gemmScratch(m, k, n)]), tf.zeros([m * k])];
      const [pa, pb, pc, ps, pe] = ts.map((t) => heapOffset(be, t)) as [number, number, number, number, number];
      const kernels = simdKernels(be);
      const read = (): Float32Array => ((ts[2] as tf.Tensor).dataSync() as Float32Array).slice();
      const out: Float32Array[] = [];
      expect(kernels?.gemm(pa, pb, pc, m, k, n, false, ps, undefined, true).path).toBe('sparse');
      out.push(read());
      expect(kernels?.gemm(pa, pb, pc, m, k, n, true, ps, undefined, false).path).toBe('dense');
      out.push(read());
      kernels?.fused(0, pa, pa, pa, pe, m * k); // KL terms: long enough to split
      out.push(((ts[4] as tf.Tensor).dataSync() as Float32Array).slice());
      tf.dispose(ts);
      out.push(gemmOf(3001, 25, 32), gemmOf(77, 301, 29, true));
      return out;
    };
    const [one] = await oneThenTwo(() => run());
    const be = wasmInternals(tf.backend());
    const helper = simdHelperFor((be?.wasm as unknown as { wasmMemory: WebAssembly.Memory }).wasmMemory);
    expect(helper).toBeDefined();
    if (!helper) return;
    // held (asleep in a call of its own), the helper wakes for none of these: each is closed and skipped
    const release = helper.hold(60_000);
    const [calls, taken] = [helper.calls, helper.taken];
    let alone: Float32Array[];
    try {
      alone = run();
    } finally {
      release();
    }
    expect(helper.calls - calls, 'calls started on the helper').toBeGreaterThanOrEqual(6);
    expect(helper.taken - taken, 'calls it took part in').toBe(0);
    alone.forEach((o, i) => expect(differing(o, one[i]), `result ${i}`).toBe(0));
    // released, it takes part again: long products, three times over
    const again = helper.taken;
    for (let i = 0; i < 3; i++) run();
    expect(helper.taken - again).toBeGreaterThan(0);
  }, 120_000);

  it('with three threads, two helpers share every split call, and training and the dense and sparse GEMMs are bit for bit one thread\'s', async () => {
    const [m, k, n] = [100, 1024, 116];
    const a = Float32Array.from({ length: m * k }, (_, i) => ((Math.sin(13 * i + 5) + 1) / 2 < 0.3 ? Math.sin(7 * i + 1) : 0));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(5 * i + 2));
    const products = (): { c: Float32Array[]; path: string[] } => {
      const be = wasmInternals(tf.backend()) as NonNullable<ReturnType<typeof wasmInternals>>;
      const ts = [tf.tensor1d(a), tf.tensor1d(b), tf.zeros([m * n]), tf.zeros([gemmScratch(m, k, n)])];
      const [pa, pb, pc, ps] = ts.map((t) => heapOffset(be, t)) as [number, number, number, number];
      const kernels = simdKernels(be);
      const read = (): Float32Array => ((ts[2] as tf.Tensor).dataSync() as Float32Array).slice();
      const path = [kernels?.gemm(pa, pb, pc, m, k, n, false, ps, undefined, true).path ?? 'none'];
      const c = [read()];
      path.push(kernels?.gemm(pa, pb, pc, m, k, n, true, ps, undefined, false).path ?? 'none');
      c.push(read());
      tf.dispose(ts);
      return { c, path };
    };
    await wasmBackend.setup({ tier: 'pure', threads: 1 });
    const one = { trained: trainThree(), ...products() };
    const three = await wasmBackend.setup({ tier: 'pure', threads: 3 });
    expect(three.threads).toBe(3);
    expect(three.reason).toMatch(/; matmuls, Adam and transposes split with 2 helper threads/);
    const be = wasmInternals(tf.backend());
    const helper = simdHelperFor((be?.wasm as unknown as { wasmMemory: WebAssembly.Memory }).wasmMemory);
    expect(helper?.threads).toBe(2);
    // helpers spin between calls only where every thread has a core (on a 2-core machine these sleep at once)
    const cores = availableParallelism();
    expect(helper?.spins).toBe(3 <= cores);
    expect(three.reason.includes('(more threads than cores: they sleep between calls)')).toBe(3 > cores);
    const before = helper?.calls ?? -1;
    const got = { trained: trainThree(), ...products() };
    // training's Adam updates and transposes, then the sparse product (listing, product) and the dense one
    expect((helper?.calls ?? 0) - before).toBeGreaterThanOrEqual(9);
    expect([...one.path, ...got.path]).toEqual(['sparse', 'dense', 'sparse', 'dense']);
    expect(got.c).toEqual(one.c);
    expect(differing(got.trained, one.trained)).toBe(0);
  }, 120_000);

  it('stock and native tiers keep tfjs\'s own single-threaded registration', async () => {
    const stock = await wasmBackend.setup({ tier: 'stock', threads: 2 });
    expect(stock.tier).toBe('stock');
    expect(activeWasmBuild().kind).toBe('plain');
  });

  it('leaves no worker script on disk, and the process exits by itself', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vib-threads-test-'));
    try {
      const script = join(tmp, 'child.mts');
      writeFileSync(script, [
        `import * as tf from ${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('@tensorflow/tfjs')).href)};`,
        `import { wasmBackend } from ${JSON.stringify(pathToFileURL(join(here, 'wasm-backend.ts')).href)};`,
        `const r = await wasmBackend.setup({ tier: 'pure', threads: 2 });`,
        `import { tmpdir } from 'node:os';`,
        `console.log(tmpdir());`,
        `console.log(r.threads, tf.matMul(tf.ones([200, 300]), tf.ones([300, 100])).dataSync()[0]);`,
      ].join('\n'));
      const workdir = join(tmp, 'tmp');
      mkdirSync(workdir);
      const child = spawnSync(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', script], {
        cwd: here, env: { ...process.env, TMPDIR: workdir }, encoding: 'utf8', timeout: 60_000,
      });
      expect(child.status, child.stderr.slice(-2000)).toBe(0);
      const [dir, result] = child.stdout.trim().split('\n').slice(-2);
      expect(result).toBe('2 300');
      expect(dir, 'the child wrote its temporary files where this test looks').toBe(workdir);
      expect(readdirSync(workdir).filter((f) => f.startsWith('vib-wasm-threads-'))).toEqual([]); // (tsx keeps its cache there)
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 90_000);

  it('falls back to the single-threaded build, saying why, where workers could not start (node --input-type … -e)', () => {
    const code = [
      `import { wasmBackend } from ${JSON.stringify(pathToFileURL(join(here, 'wasm-backend.ts')).href)};`,
      `const r = await wasmBackend.setup({ tier: 'pure', threads: 2 });`,
      `console.log(JSON.stringify({ threads: r.threads, reason: r.reason }));`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: here, encoding: 'utf8', timeout: 60_000,
    });
    expect(child.status, child.stderr.slice(-2000)).toBe(0);
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { threads: number; reason: string };
    expect(r.threads).toBe(1);
    expect(r.reason).toMatch(/threaded build not used: --input-type=module is set/);
  }, 90_000);
});

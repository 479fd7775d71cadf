import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// bit for bit, −0 as itself and every NaN as one (a NaN's sign from 0·∞ is the CPU's, not the reference's)
import { bitsOneNaN as bits } from '../testing/float-bits.js';
import { activeWasm, installPureTier } from '../testing/pure-tier.js';
import { gemmReference } from '../testing/product-term.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { keptLists, listedFor } from './listed-outputs.js';
import { keptPackingVerdict, packingFor } from './packed-weights.js';
import { wroteInPlace } from './pure-matmul.js';
import { rowsCheck } from './pure-rows-matmul.js';
import { gemmKeptScratch, gemmPackedSize, simdKernels, type SimdKernels } from './simd-kernels.js';
import { sparseCheck, sparseScratch } from './sparse-product.js';
import { heapOffset } from './wasm-internals.js';

const be = activeWasm;
let gemm = false;
beforeAll(async () => {
  gemm = await installPureTier((m) => expect.fail(m));
});
afterAll(() => uninstallAcceleration());

/** A·B + bias, then ReLU: each sum in k order from +0, each term rounded as the GEMM rounds it (gemmReference): its bits. */
function reference(a: Float32Array, b: Float32Array, bias: Float32Array, m: number, k: number, n: number, relu: boolean): Float32Array {
  return gemmReference(a, b, m, k, n).map((s, e) => {
    const v = Math.fround(s + (bias[e % n] as number));
    return relu ? Math.max(v, 0) : v;
  });
}

/** A deterministic m×k operand with about `zeros` of its elements zero (−0 on odd columns). */
const operand = (m: number, k: number, zeros: number, seed: number): Float32Array =>
  Float32Array.from({ length: m * k }, (_, e) => ((Math.sin(13 * e + seed) + 1) / 2 < zeros ? (e % 2 ? -0 : 0) : Math.sin(7 * e + seed)));

const fused = (a: tf.Tensor, w: tf.Tensor, bias: tf.Tensor, relu: boolean): tf.Tensor =>
  tf.fused.matMul({ a: a as tf.Tensor2D, b: w as tf.Tensor2D, bias, activation: relu ? 'relu' : 'linear' });

describe('the product by rows (row-product.ts)', () => {
  it('gives the same bits with one part of the rows or several that one thread takes over (A dense, and listed sparse)', () => {
    if (!gemm) return;
    const kernels = simdKernels(be()) as SimdKernels;
    const [m, k, n] = [50, 64, 200];
    for (const zeros of [0, 0.6]) {
      const av = operand(m, k, zeros, 4);
      const wv = Float32Array.from({ length: k * n }, (_, e) => Math.cos(5 * e + 1) / 4);
      const biasv = Float32Array.from({ length: n }, (_, j) => Math.sin(3 * j) / 2);
      const want = bits(reference(av, wv, biasv, m, k, n, true));
      const ts = [tf.tensor1d(av), tf.tensor1d(wv), tf.tensor1d(biasv), tf.zeros([m * n]), tf.zeros([gemmPackedSize(k, n)]), tf.zeros([gemmKeptScratch(m, k) + sparseScratch(m, n)])];
      const [pa, pb, pbias, pc, pp, ps] = ts.map((t) => heapOffset(be(), t)) as [number, number, number, number, number, number];
      kernels.gemm(pa, pb, pc, m, k, n, false, ps, { off: pp, ready: false }); // packs B's panels into pp
      const runs = [1, 2, 3].map((parts) => {
        const aList = zeros > 0 ? kernels.listNonzeros(pa, m, k, ps, false) ?? undefined : undefined;
        const listOff = ps + sparseScratch(m, k);
        // C and the row lengths spoiled first: every run writes them all
        be().wasm.HEAPF32.fill(Number.NaN, pc, pc + m * n);
        be().wasm.HEAPF32.fill(Number.NaN, listOff + 2 * m * n, listOff + 2 * m * n + m);
        kernels.rows({ aOff: pa, m, k, n, bp: pp, cOff: pc, apOff: ps, aList, biasOff: pbias, relu: true, outList: { listOff, countsOff: listOff + 2 * m * n }, parts });
        const h = be().wasm.HEAPF32;
        return { c: bits(h.slice(pc, pc + m * n)), list: Array.from(new Int32Array(h.buffer, (listOff + 2 * m * n) * 4, m)) };
      });
      for (const r of runs) {
        expect(r.c).toEqual(want);
        expect(r.list).toEqual(runs[0]?.list);
      }
      // the row lengths count each row's nonzeros (8 bytes a term)
      expect(runs[0]?.list.reduce((p, q) => p + q, 0)).toBe(8 * want.filter((b) => b !== 0).length);
      tf.dispose(ts);
    }
  });
});

describe('the product by rows packs A in m·k floats', () => {
  it('with parts that do not start on a multiple of 4 rows, the last part packs past row m & ~3, and never past m·k floats', () => {
    if (!gemm) return;
    const kernels = simdKernels(be()) as SimdKernels;
    // 50 rows in 3 parts: rows 0–15, 16–32 and 33–49; the last packs its 4 blocks at rows 33–48
    const [m, k, n] = [50, 64, 16];
    const av = operand(m, k, 0, 9);
    const wv = Float32Array.from({ length: k * n }, (_, e) => Math.sin(3 * e) / 4);
    const ts = [tf.tensor1d(av), tf.tensor1d(wv), tf.zeros([n]), tf.zeros([m * n]), tf.zeros([gemmPackedSize(k, n)]), tf.zeros([gemmKeptScratch(m, k)]), tf.zeros([m * k + 64])];
    const [pa, pb, pbias, pc, pp, ps, pap] = ts.map((t) => heapOffset(be(), t)) as [number, number, number, number, number, number, number];
    kernels.gemm(pa, pb, pc, m, k, n, false, ps, { off: pp, ready: false });
    const h = be().wasm.HEAPF32;
    h.fill(Number.NaN, pap, pap + m * k + 64);
    kernels.rows({ aOff: pa, m, k, n, bp: pp, cOff: pc, apOff: pap, biasOff: heapOffset(be(), ts[2] as tf.Tensor), relu: false, parts: 3 });
    expect(bits(h.slice(pc, pc + m * n))).toEqual(bits(reference(av, wv, new Float32Array(n), m, k, n, false)));
    // rows 48–49 (from m & ~3 on) hold packed values: a scratch of (m & ~3)·k floats, as it was, was too short…
    expect(Array.from(h.slice(pap + (m & ~3) * k, pap + m * k)).some((v) => !Number.isNaN(v))).toBe(true);
    // … and nothing lies past m·k
    expect(Array.from(h.slice(pap + m * k, pap + m * k + 64)).every((v) => Number.isNaN(v))).toBe(true);
    tf.dispose(ts);
  });
});

describe('a fused product with a kept weight runs by rows (pure tier)', () => {
  // m not a multiple of 4, k a multiple of 4 only, n a multiple of 8 not of 24 (a group of panels left over)
  const shapes: [number, number, number, number][] = [[37, 100, 296, 0], [64, 128, 136, 0.55], [40, 132, 208, 0.7]];
  it.each(shapes)('%i×%i×%i (A %f zeros): linear and ReLU, bitwise the k-order float32 sums plus bias, and the unfused ops', async (m, k, n, zeros) => {
    if (!gemm) return;
    await installAcceleration({ tier: 'pure', warn: (msg) => expect.fail(msg) });
    const av = operand(m, k, zeros, 3);
    const wv = Float32Array.from({ length: k * n }, (_, e) => Math.cos(5 * e + 2) / 4);
    const biasv = Float32Array.from({ length: n }, (_, j) => Math.sin(j) / 2);
    const [a, w, bias] = [tf.tensor2d(av, [m, k]), tf.tensor2d(wv, [k, n]), tf.tensor1d(biasv)];
    for (const relu of [true, false]) {
      const want = bits(reference(av, wv, biasv, m, k, n, relu));
      // the first calls pack the weight, keep its packing and check it; from then on the product runs by rows
      for (let call = 0; call < 5; call++) {
        const got = tf.tidy(() => fused(a, w, bias, relu).dataSync() as Float32Array);
        expect(bits(got), `call ${call}`).toEqual(want);
      }
      const unfused = tf.tidy(() => {
        const c = tf.add(tf.matMul(a, w), bias);
        return (relu ? tf.relu(c) : c).dataSync() as Float32Array;
      });
      expect(bits(unfused)).toEqual(want);
    }
    expect(keptPackingVerdict()).toBe('passed');
    expect(rowsCheck.verdict).toBe('passed');
    tf.dispose([a, w, bias]);
  });

  // n not a multiple of 8: the VIB classifier's head (256→10), and two with whole panels before the partial one
  const padded: [number, number, number, number][] = [[100, 256, 10, 0], [40, 132, 30, 0.7], [33, 260, 20, 0.5]];
  it.each(padded)('%i×%i×%i (A %f zeros, n padded to whole panels): by rows, bitwise the k-order sums plus bias, not listed', async (m, k, n, zeros) => {
    if (!gemm) return;
    await installAcceleration({ tier: 'pure', warn: (msg) => expect.fail(msg) });
    const kernels = simdKernels(be()) as SimdKernels;
    const rows = vi.spyOn(kernels, 'rows');
    const av = operand(m, k, zeros, 6);
    const wv = Float32Array.from({ length: k * n }, (_, e) => Math.cos(7 * e + 3) / 4);
    const biasv = Float32Array.from({ length: n }, (_, j) => 1 + Math.sin(j));
    const [a, w, bias] = [tf.tensor2d(av, [m, k]), tf.tensor2d(wv, [k, n]), tf.tensor1d(biasv)];
    try {
      for (const relu of [true, false]) {
        const want = bits(reference(av, wv, biasv, m, k, n, relu));
        for (let call = 0; call < 5; call++) {
          rows.mockClear();
          const c = fused(a, w, bias, relu);
          expect(bits(c.dataSync() as Float32Array), `call ${call}`).toEqual(want);
          expect(listedFor(be(), c, m, n)).toBeNull();
          tf.dispose(c);
          // the first calls with the weight take the GEMM (they pack it, keep the packing and check it); from the
          // fourth on, a product by rows on n rounded up to whole panels
          if (call >= 3) expect(rows.mock.calls.map(([o]) => o.n), `call ${call}`).toEqual([Math.ceil(n / 8) * 8]);
        }
      }
      expect(rowsCheck.verdict).toBe('passed');
    } finally {
      rows.mockRestore();
      tf.dispose([a, w, bias]);
    }
  });

  it("lists a ReLU output's nonzeros for the next product, which multiplies from them with the same bits", async () => {
    if (!gemm) return;
    await installAcceleration({ tier: 'pure', warn: (msg) => expect.fail(msg) });
    const [m, k, h, n] = [48, 128, 256, 96];
    const xv = operand(m, k, 0, 1);
    const [w1v, w2v] = [Float32Array.from({ length: k * h }, (_, e) => Math.cos(3 * e + 1) / 8), Float32Array.from({ length: h * n }, (_, e) => Math.sin(5 * e + 4) / 8)];
    // a bias that leaves about a quarter of the hidden units positive, well inside the sparse GEMM's threshold
    const [b1v, b2v] = [Float32Array.from({ length: h }, (_, j) => Math.cos(j) / 4 - 0.5), Float32Array.from({ length: n }, (_, j) => Math.sin(2 * j) / 4)];
    const [x, w1, w2, b1, b2] = [tf.tensor2d(xv, [m, k]), tf.tensor2d(w1v, [k, h]), tf.tensor2d(w2v, [h, n]), tf.tensor1d(b1v), tf.tensor1d(b2v)];
    const hidden = reference(xv, w1v, b1v, m, k, h, true);
    expect(hidden.filter((v) => v !== 0).length / (m * h)).toBeLessThan(0.35);
    const want = bits(reference(hidden, w2v, b2v, m, h, n, false));
    for (let call = 0; call < 5; call++) {
      const hid = fused(x, w1, b1, true);
      // from the fourth call, hid is listed by the product by rows that computed it
      if (call >= 3) expect(listedFor(be(), hid, m, h)?.terms, `call ${call}`).toBe(hidden.filter((v) => v !== 0).length);
      expect(bits(hid.dataSync() as Float32Array)).toEqual(bits(hidden));
      const y = fused(hid, w2, b2, false);
      expect(bits(y.dataSync() as Float32Array), `call ${call}`).toEqual(want);
      // a linear output is not listed; the list goes with its tensor's data, and with a write in place
      expect(listedFor(be(), y, m, n)).toBeNull();
      if (call === 4) {
        expect(keptLists(be())).toBe(1);
        wroteInPlace(be(), hid);
        expect(listedFor(be(), hid, m, h)).toBeNull();
        expect(keptLists(be())).toBe(0);
        expect(bits(fused(hid, w2, b2, false).dataSync() as Float32Array)).toEqual(want);
      }
      tf.dispose([hid, y]);
    }
    // most hidden units are zeros: the second product took the sparse GEMM, checked once
    expect(sparseCheck.verdict).toBe('passed');
    uninstallAcceleration();
    expect(keptLists(be())).toBe(0);
    tf.dispose([x, w1, w2, b1, b2]);
  });

  it('multiplies densely from a listed output with too many nonzeros for the sparse GEMM, with the same bits', async () => {
    if (!gemm) return;
    await installAcceleration({ tier: 'pure', warn: (msg) => expect.fail(msg) });
    const [m, k, h, n] = [36, 128, 256, 64];
    const xv = operand(m, k, 0, 5);
    const w1v = Float32Array.from({ length: k * h }, (_, e) => Math.cos(3 * e + 2) / 8);
    const w2v = Float32Array.from({ length: h * n }, (_, e) => Math.sin(5 * e + 3) / 8);
    // a bias that keeps about 9 in 10 hidden units positive
    const [b1v, b2v] = [new Float32Array(h).fill(1), Float32Array.from({ length: n }, (_, j) => Math.cos(j) / 4)];
    const [x, w1, w2, b1, b2] = [tf.tensor2d(xv, [m, k]), tf.tensor2d(w1v, [k, h]), tf.tensor2d(w2v, [h, n]), tf.tensor1d(b1v), tf.tensor1d(b2v)];
    const hidden = reference(xv, w1v, b1v, m, k, h, true);
    const want = bits(reference(hidden, w2v, b2v, m, h, n, true));
    for (let call = 0; call < 5; call++) {
      const hid = fused(x, w1, b1, true);
      const list = listedFor(be(), hid, m, h);
      if (call >= 3) expect(list && list.terms / (m * h), `call ${call}`).toBeGreaterThan(0.6);
      expect(bits(fused(hid, w2, b2, true).dataSync() as Float32Array), `call ${call}`).toEqual(want);
      tf.dispose(hid);
    }
    expect(rowsCheck.verdict).toBe('passed');
    tf.dispose([x, w1, w2, b1, b2]);
  });

  it('on a disagreement with the GEMM then its bias pass, warns once, returns the GEMM\'s output and runs no product by rows again', async () => {
    if (!gemm) return;
    const warnings: string[] = [];
    await installAcceleration({ tier: 'pure', warn: (msg) => warnings.push(msg) });
    const [m, k, n] = [64, 128, 136];
    const [dx, w, bias] = [tf.randomUniform([m, k], 0.5, 1, 'float32', 7), tf.randomNormal([k, n], 0, 0.1, 'float32', 8), tf.zeros([n])];
    // a dense A: the products by rows pass the check, so spoil it from here on with a sparse A whose column 0 is all
    // zeros, and panel 0's k-row 0 of the kept packing NaN: the sparse GEMM by rows never reads that row, the GEMM
    // that checks it does (0·NaN)
    const xs = operand(m, k, 0.75, 2).map((v, e) => (e % k === 0 ? 0 : v));
    const xz = tf.tensor2d(xs, [m, k]);
    for (let call = 0; call < 3; call++) tf.dispose(fused(dx, w, bias, false));
    expect([keptPackingVerdict(), rowsCheck.verdict]).toEqual(['passed', 'unchecked']);
    const { off } = packingFor(be(), w as never, false, k, n);
    be().wasm.HEAPF32.fill(Number.NaN, off, off + 8);
    const got = fused(xz, w, bias, true);
    // the product took the sparse GEMM by rows: both first-use checks ran on it, and both fail
    expect([rowsCheck.verdict, sparseCheck.verdict]).toEqual(['failed', 'failed']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/by rows disagrees with the GEMM then its bias pass.*products by rows off/);
    expect(warnings[1]).toMatch(/sparse form disagrees with the dense GEMM/);
    // the GEMM's output: NaN (ReLU keeps a NaN) in panel 0's columns, and no list of it is kept
    expect(Number.isNaN((got.dataSync() as Float32Array)[0] as number)).toBe(true);
    expect(listedFor(be(), got, m, n)).toBeNull();
    tf.dispose(fused(dx, w, bias, false));
    expect(rowsCheck.verdict).toBe('failed');
    expect(warnings).toHaveLength(2);
    await installAcceleration({ tier: 'pure', warn: (msg) => expect.fail(msg) });
    expect(rowsCheck.verdict).toBe('unchecked');
    tf.dispose([got, dx, w, bias, xz]);
  });
});

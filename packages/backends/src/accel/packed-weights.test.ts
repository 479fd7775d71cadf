import * as tf from '@tensorflow/tfjs';
import { assignEma } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeWasm, installPureTier } from '../testing/pure-tier.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { keptPackings, keptPackingVerdict, packingFor } from './packed-weights.js';
import { gemmPackedSize } from './simd-kernels.js';
import { wroteInPlace } from './pure-matmul.js';
import { heapOffset } from './wasm-internals.js';

const be = activeWasm;
let gemm = false;
beforeAll(async () => {
  gemm = await installPureTier((m) => expect.fail(m));
});
afterAll(() => uninstallAcceleration());

/** x·op(w) through the registered BatchMatMul (the pure tier's override), read back. */
const product = (x: tf.Tensor, w: tf.Tensor, transposeB = false): Float32Array =>
  tf.tidy(() => (tf.engine().runKernel('BatchMatMul', { a: x, b: w }, { transposeA: false, transposeB } as never) as tf.Tensor).dataSync() as Float32Array);

/** The float64 product of row-major x [m, k] and op(w), for the expected values. */
function reference(x: Float32Array, w: Float32Array, m: number, k: number, n: number, transposeB: boolean): number[] {
  return Array.from({ length: m * n }, (_, e) => {
    const [i, j] = [Math.floor(e / n), e % n];
    let s = 0;
    for (let q = 0; q < k; q++) s += (x[i * k + q] as number) * (w[transposeB ? j * k + q : q * n + j] as number);
    return s;
  });
}

const close = (got: Float32Array, want: number[], what: string): void =>
  want.forEach((v, e) => expect(Math.abs((got[e] as number) - v), `${what} [${e}]`).toBeLessThan(1e-4));

describe('the pure GEMM keeps the packing of a weight that stays put (inference, evaluation)', () => {
  it('gives the same bits with a kept packing as with a fresh one, on odd shapes, both orientations', () => {
    if (!gemm) return;
    // n mod 8 and k mod 4 tails, a whole-panel-only n, and a product long enough for the helper thread
    for (const [m, k, n] of [[5, 7, 13], [9, 16, 8], [3, 33, 17], [100, 300, 200]] as const) {
      for (const tB of [false, true]) {
        const x = tf.randomUniform([m, k], -1, 1, 'float32', m + k);
        const w = tf.randomUniform(tB ? [n, k] : [k, n], -1, 1, 'float32', n + k);
        const first = product(x, w, tB); // packs into scratch: w not seen before
        const second = product(x, w, tB); // seen: packs into a kept buffer
        const third = product(x, w, tB); // the kept packing, B not read
        expect(Array.from(second), `${m}×${k}×${n} tB=${tB}`).toEqual(Array.from(first));
        expect(Array.from(third), `${m}×${k}×${n} tB=${tB}`).toEqual(Array.from(first));
        close(first, reference(x.dataSync() as Float32Array, w.dataSync() as Float32Array, m, k, n, tB), `${m}×${k}×${n} tB=${tB}`);
        tf.dispose([x, w]);
      }
    }
  });

  it('reads the kept packing, not B, and packs again once told B was written in place', () => {
    if (!gemm) return;
    const [m, k, n] = [6, 11, 19];
    const x = tf.randomUniform([m, k], -1, 1, 'float32', 1);
    const w = tf.randomUniform([k, n], -1, 1, 'float32', 2);
    const [xv, before] = [x.dataSync() as Float32Array, (w.dataSync() as Float32Array).slice()];
    product(x, w);
    product(x, w);
    // an unannounced write into w's buffer: a product from the kept packing still has the old values
    const at = heapOffset(be(), w);
    const heap = be().wasm.HEAPF32;
    for (let i = 0; i < k * n; i++) heap[at + i] = -(heap[at + i] as number);
    close(product(x, w), reference(xv, before, m, k, n, false), 'kept');
    // announced (as the fused Adam and the in-place EMA do): the next products multiply by the new values
    wroteInPlace(be(), w);
    const now = before.map((v) => -v);
    close(product(x, w), reference(xv, now, m, k, n, false), 'after forgetting, first');
    close(product(x, w), reference(xv, now, m, k, n, false), 'after forgetting, kept again');
    tf.dispose([x, w]);
  });

  it('multiplies by the new weights after a fused Adam step and an in-place EMA step', () => {
    if (!gemm) return;
    const [m, k, n] = [4, 16, 12];
    const x = tf.randomUniform([m, k], -1, 1, 'float32', 3) as tf.Tensor2D;
    const [w0, a0] = [4, 5].map((seed) => tf.randomUniform([k, n], -1, 1, 'float32', seed));
    const [w, average] = [tf.variable(w0 as tf.Tensor), tf.variable(a0 as tf.Tensor, false)];
    tf.dispose([w0, a0]); // the variables are their buffers' only holders
    const opt = tf.train.adam(0.1);
    const xv = x.dataSync() as Float32Array;
    try {
      for (let step = 0; step < 3; step++) {
        for (const v of [w, average]) (product(x, v), product(x, v)); // both kept
        opt.minimize(() => tf.sum(tf.square(tf.matMul(x, w))) as tf.Scalar);
        assignEma(average, w, 0.5);
        for (const [name, v] of [['weight', w], ['average', average]] as const) {
          const want = reference(xv, v.dataSync() as Float32Array, m, k, n, false);
          for (const call of ['first', 'second', 'third']) close(product(x, v), want, `step ${step}, ${name}, ${call} product`);
        }
      }
    } finally {
      tf.dispose([x, w, average]);
      opt.dispose();
    }
  });

  it('keeps one packing per weight, in each orientation, and drops it with the weight', () => {
    if (!gemm) return;
    const base = keptPackings(be());
    const x = tf.randomUniform([3, 8], -1, 1, 'float32', 6);
    const w = tf.randomUniform([8, 8], -1, 1, 'float32', 7);
    for (let i = 0; i < 3; i++) (product(x, w), product(x, w, true));
    const buffers = tf.backend().numDataIds();
    for (let i = 0; i < 3; i++) (product(x, w), product(x, w, true));
    expect(keptPackings(be())).toBe(base + 1);
    expect(tf.backend().numDataIds()).toBe(buffers); // the kept buffers are reused, not made anew
    // a batch of left operands against the one weight: one packing, filled by the first product of the batch
    const xs = tf.randomUniform([4, 3, 8], -1, 1, 'float32', 8);
    const batched = tf.tidy(() => (tf.engine().runKernel('BatchMatMul', { a: xs, b: w }, { transposeA: false, transposeB: false } as never) as tf.Tensor).dataSync());
    const xsv = xs.dataSync() as Float32Array;
    const wv = w.dataSync() as Float32Array;
    for (let i = 0; i < 4; i++) {
      close(batched.slice(24 * i, 24 * (i + 1)) as Float32Array, reference(xsv.slice(24 * i, 24 * (i + 1)), wv, 3, 8, 8, false), `batch ${i}`);
    }
    tf.dispose([w, xs]);
    expect(keptPackings(be())).toBe(base);
    x.dispose();
  });

  it('frees every kept packing when the tier is uninstalled, and keeps none without it', async () => {
    if (!gemm) return;
    const x = tf.randomUniform([3, 8], -1, 1, 'float32', 9);
    const w = tf.randomUniform([8, 16], -1, 1, 'float32', 10);
    for (let i = 0; i < 3; i++) product(x, w);
    expect(keptPackings(be())).toBe(1);
    const buffers = (): number => tf.backend().numDataIds();
    const before = buffers();
    uninstallAcceleration();
    expect(keptPackings(be())).toBe(0);
    expect(buffers()).toBe(before - 1); // its heap buffer freed
    for (let i = 0; i < 3; i++) product(x, w); // the stock kernel
    expect(keptPackings(be())).toBe(0);
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    tf.dispose([x, w]);
  });
});

describe('the first product read from a kept packing is self-checked against a fresh packing', () => {
  /** Install the tier again (which arms the check), collecting its warnings. */
  const reinstall = async (): Promise<string[]> => {
    const warnings: string[] = [];
    await installAcceleration({ tier: 'pure', warn: (m) => warnings.push(m) });
    return warnings;
  };
  afterAll(async () => {
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
  });

  it('passes on the first read, not before (the second product fills the packing, the third reads it)', async () => {
    if (!gemm) return;
    const warnings = await reinstall();
    const x = tf.randomUniform([9, 20], -1, 1, 'float32', 21);
    const w = tf.randomUniform([20, 13], -1, 1, 'float32', 22);
    product(x, w);
    product(x, w);
    expect(keptPackingVerdict()).toBe('unchecked');
    product(x, w);
    expect(keptPackingVerdict()).toBe('passed');
    expect(keptPackings(be())).toBe(1);
    expect(warnings).toEqual([]);
    tf.dispose([x, w]);
  });

  it('on a disagreement warns once, returns the fresh product, and keeps no packing from then on', async () => {
    if (!gemm) return;
    const warnings = await reinstall();
    const [m, k, n] = [7, 18, 21];
    const x = tf.randomUniform([m, k], -1, 1, 'float32', 23);
    const w = tf.randomUniform([k, n], -1, 1, 'float32', 24);
    const want = Array.from(product(x, w));
    product(x, w); // fills the kept packing
    // spoil the kept panels, as a stale or mis-packed buffer would be
    const { off, ready } = packingFor(be(), w as never, false, k, n);
    expect(ready).toBe(true);
    be().wasm.HEAPF32.fill(7, off, off + gemmPackedSize(k, n));
    expect(Array.from(product(x, w))).toEqual(want);
    expect(keptPackingVerdict()).toBe('failed');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/kept packing .* disagrees .*packing every call/);
    expect(keptPackings(be())).toBe(0);
    // later products, of this weight and another, pack every call
    const w2 = tf.randomUniform([k, n], -1, 1, 'float32', 25);
    for (let i = 0; i < 3; i++) {
      expect(Array.from(product(x, w))).toEqual(want);
      product(x, w2);
    }
    expect(keptPackings(be())).toBe(0);
    expect(warnings).toHaveLength(1);
    tf.dispose([x, w, w2]);
  });
});

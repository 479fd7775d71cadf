import * as tf from '@tensorflow/tfjs';
import { assignEma, emaUpdate } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emaInPlaceStep } from './ema-in-place.js';
import { installAcceleration } from './install-acceleration.js';
import { uniformGenerator } from './self-check.js';
import { heapOffset, wasmInternals } from './wasm-internals.js';
import { tiersUnderTest } from '../testing/tiers-under-test.js';

const random = uniformGenerator(23);
const SPECIAL = [Number.NaN, Infinity, -Infinity, 0, -0, 1e-40, 3.4e38, -1e4];
const values = (n: number, special: boolean) => Float32Array.from({ length: n }, (_, i) => (special && i < SPECIAL.length ? SPECIAL[i]! : 9 * random() - 3));
const offsetOf = (t: tf.Tensor) => heapOffset(wasmInternals(tf.backend())!, t);

const tiers = tiersUnderTest({ beforeAll, afterAll });

describe.each(['pure', 'native'] as const)('%s tier in-place EMA (assignEma)', (tier) => {
  it('writes the average in its own buffer, bitwise the stock Mul, Mul, Add on cpu, on odd sizes and special values', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    // 300,007: long enough for the native tier to split the pass over threads
    for (const [n, decay] of [[1, 0.5], [3, 0.9], [1031, 0.999], [SPECIAL.length, 0.25], [300_007, 0.999]] as const) {
      const [a, v] = [values(n, true), values(n, false)];
      tf.setBackend('cpu');
      const want = tf.tidy(() => Array.from(emaUpdate(tf.tensor1d(a), tf.tensor1d(v), decay).dataSync()));
      tf.setBackend('wasm');
      const init = tf.tensor1d(a);
      const average = tf.variable(init, false);
      init.dispose(); // the variable is the buffer's only holder
      const value = tf.tensor1d(v);
      const [before, id] = [offsetOf(average), average.dataId];
      assignEma(average, value, decay);
      expect(Array.from(average.dataSync()), `n = ${n}`).toEqual(want);
      expect([offsetOf(average), average.dataId]).toEqual([before, id]); // in place: the same buffer
      average.dispose();
      value.dispose();
    }
  });

  it('leaves a tensor that shared the average\'s buffer as it was', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const weights = tf.tensor1d([1, 2, 3]);
    const average = tf.variable(weights, false); // shares the weights' buffer, as tf.variable(w) does
    assignEma(average, tf.tensor1d([5, 6, 7]), 0.75);
    expect(Array.from(weights.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(average.dataSync())).toEqual([2, 3, 4]);
    average.dispose();
    weights.dispose();
  });
});

describe('in-place EMA self-check', () => {
  it('a wrong step is caught at first use, warned about once, and every step goes the stock way', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'stock' });
    const warnings: string[] = [];
    // 1e-3 off in every element
    const step = emaInPlaceStep((be) => (a, v, o, n, d) => {
      const h = be.wasm.HEAPF32;
      for (let i = 0; i < n; i++) h[o + i] = (h[a + i] as number) * d + (h[v + i] as number) * (1 - d) + 1e-3;
    }, 'test', (m) => warnings.push(m));
    const average = tf.variable(tf.tensor1d([4, 8]), false);
    const value = tf.tensor1d([0, 4]);
    expect(step(average, value, 0.5)).toBe(false);
    expect(step(average, value, 0.5)).toBe(false);
    expect(Array.from(average.dataSync())).toEqual([4, 8]); // not written: the stock path is the caller's
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/test in-place EMA step disagrees with the stock kernels \(element 0/);
    average.dispose();
    value.dispose();
  });

  it('a stock matmul that packed the average before multiplies by its new values (evaluation on the averaged weights)', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'stock' }); // no overrides: XNNPACK packs the weight and keeps it by tensor id
    const step = emaInPlaceStep(() => null, 'test', (m) => expect.fail(m));
    const init = tf.randomUniform([16, 8], -1, 1, 'float32', 5);
    const average = tf.variable(init, false);
    init.dispose();
    const value = tf.randomUniform([16, 8], -1, 1, 'float32', 6);
    const x = tf.randomUniform([4, 16], -1, 1, 'float32', 7) as tf.Tensor2D;
    const forward = (): Float32Array => tf.tidy(() => tf.matMul(x, average as tf.Tensor2D).dataSync() as Float32Array);
    const [xv, vv] = [x.dataSync(), value.dataSync()];
    try {
      for (let i = 0; i < 3; i++) {
        forward();
        expect(step(average, value, 0.5)).toBe(true);
        const w = average.dataSync();
        const got = forward();
        for (let e = 0; e < 32; e++) {
          let want = 0;
          for (let k = 0; k < 16; k++) want += (xv[Math.floor(e / 8) * 16 + k] as number) * (w[k * 8 + (e % 8)] as number);
          expect(Math.abs((got[e] as number) - want), `step ${i}, element ${e}`).toBeLessThan(1e-5);
        }
      }
      expect(Math.abs((average.dataSync()[0] as number) - (vv[0] as number))).toBeLessThan(0.5); // it moved toward value
    } finally {
      tf.dispose([average, value, x]);
    }
  });

  it('hands other backends back to the stock path', () => {
    tf.setBackend('cpu');
    const step = emaInPlaceStep(() => null, 'test', (m) => expect.fail(m));
    const average = tf.variable(tf.tensor1d([4, 8]), false);
    expect(step(average, tf.tensor1d([0, 4]), 0.5)).toBe(false);
    assignEma(average, tf.tensor1d([0, 4]), 0.5);
    expect(Array.from(average.dataSync())).toEqual([2, 6]);
    average.dispose();
    tf.setBackend('wasm');
  });
});

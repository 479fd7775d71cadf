import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { loadNativeBlas } from './load-native-blas.js';
import { tiersUnderTest } from '../testing/tiers-under-test.js';

const tiers = tiersUnderTest({ beforeAll, afterAll });
afterAll(() => uninstallAcceleration());

/** The bytes of a float array, to compare two bit for bit (−0, NaN and all). */
const bits = (x: Float32Array): Buffer => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

/** Reproducible values in halves from −2 to 2 (ties in most windows), NaN, −∞ and −0 at every `special`-th. */
function values(n: number, seed: number, special = 0): Float32Array {
  let s = seed;
  const odd = [Number.NaN, -Infinity, -0];
  return Float32Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return special > 0 && i % special === 0 ? (odd[(i / special) % 3] as number) : Math.round((s / 2 ** 32) * 8 - 4) / 2;
  });
}

type Pad = 'same' | 'valid';
/** tf.maxPool of the shape on a backend, read back. */
function pool(backend: string, shape: [number, number, number, number], window: [number, number], strides: [number, number], pad: Pad, special: number): Float32Array {
  tf.setBackend(backend);
  return tf.tidy(() => tf.maxPool(tf.tensor4d(values(shape.reduce((p, d) => p * d, 1), 7, special), shape), window, strides, pad).dataSync() as Float32Array);
}

describe.each(['pure', 'native'] as const)('%s tier: tf.maxPool', (tier) => {
  it("has the cpu backend's numbers where tfjs-wasm's kernel loses a NaN's window and −0", async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const x = (): tf.Tensor4D => tf.tensor4d([Number.NaN, 1, 2, 3, Number.NaN, Number.NaN, Number.NaN, Number.NaN, -Infinity, Number.NaN, 5, -1, -0, 0, 7, 8], [1, 4, 4, 1]);
    // NaN passes over (a window of NaN alone gives −∞), and −0 before 0 stays the maximum
    const want = [1, 3, -0, 8];
    tf.setBackend('cpu');
    expect(Array.from(tf.tidy(() => tf.maxPool(x(), 2, 2, 'valid').dataSync()))).toEqual(want);
    tf.setBackend('wasm');
    expect(Array.from(tf.tidy(() => tf.maxPool(x(), 2, 2, 'valid').dataSync()))).toEqual(want);
    const lone = tf.tidy(() => tf.maxPool(tf.tensor4d([Number.NaN, Number.NaN, Number.NaN, Number.NaN], [1, 2, 2, 1]), 2, 2, 'valid').dataSync());
    expect(Array.from(lone)).toEqual([-Infinity]);
  });

  it('is the cpu kernel bit for bit on windows apart, overlapping and past the strides, with padding, on 1 to 32 channels', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const { overrides } = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const handle = overrides.find((h) => h.kernelName === 'MaxPool');
    expect(handle?.tier).toBe((await loadNativeBlas()).ok && tier === 'native' ? 'native' : 'pure');
    const cases: [[number, number, number, number], [number, number], [number, number], Pad, number][] = [
      [[6, 28, 28, 32], [2, 2], [2, 2], 'same', 0], // an MNIST CNN's first pool
      [[3, 9, 11, 7], [3, 3], [2, 2], 'same', 5], // overlapping windows, a tail of 3 channels, NaN, −∞ and −0
      [[2, 10, 9, 1], [2, 2], [3, 3], 'valid', 4], // strides past the window, one channel (the loop alone)
      [[2, 7, 7, 12], [3, 2], [1, 2], 'same', 0],
    ];
    for (const [shape, window, strides, pad, special] of cases) {
      const before = handle?.handled ?? 0;
      const got = pool('wasm', shape, window, strides, pad, special);
      expect(bits(got).equals(bits(pool('cpu', shape, window, strides, pad, special))), `${shape} ${window} ${strides} ${pad}`).toBe(true);
      expect((handle?.handled ?? 0) - before).toBe(1);
    }
    expect(handle?.active).toBe(true);
  });

  it("writes every position of a pool's gradient on memory that held NaN: windows that tile the input unzeroed, others zeroed first", async () => {
    if (!tiers.includes(tier)) return;
    const cases: [[number, number, number, number], Pad][] = [
      [[2, 8, 8, 8], 'valid'], // windows tile the input, every channel in the SIMD pass: dx not zeroed first
      [[2, 8, 8, 6], 'valid'], // channels 4–5 in the loop, which writes only the maxima
      [[2, 9, 9, 8], 'valid'], // row and column 8 in no window
    ];
    const gradient = (backend: string, shape: [number, number, number, number], pad: Pad, onNaN: boolean): { dx: Float32Array; reused: boolean } => {
      tf.setBackend(backend);
      const size = shape.reduce((q, d) => q * d, 1);
      const x = tf.tensor4d(values(size, 17), shape);
      const y = tf.maxPool(x, 2, 2, pad);
      const dy = tf.tensor4d(values(y.size, 19), y.shape as [number, number, number, number]);
      // a tensor of dx's size full of NaN, freed just before the gradient is allocated (the allocator hands its
      // memory back out)
      const stale = onNaN ? tf.fill(shape, Number.NaN) : null;
      const wasm = backend === 'wasm' ? (tf.backend() as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }) : null;
      const staleAt = stale && wasm?.dataIdMap.get(stale.dataId).memoryOffset;
      stale?.dispose();
      const dx = tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: [2, 2], strides: [2, 2], pad }) as tf.Tensor;
      const reused = staleAt !== null && staleAt !== undefined && wasm?.dataIdMap.get(dx.dataId).memoryOffset === staleAt;
      const out = dx.dataSync() as Float32Array;
      tf.dispose([x, y, dy, dx]);
      return { dx: out, reused };
    };
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    for (const [shape, pad] of cases) {
      gradient('wasm', shape, pad, false); // the override's first-use check runs here (it allocates)
      const got = gradient('wasm', shape, pad, true);
      expect(got.reused, `${shape}: the gradient's memory is the NaN tensor's`).toBe(true);
      expect(bits(got.dx).equals(bits(gradient('cpu', shape, pad, false).dx)), `${shape}`).toBe(true);
    }
  });

  it("trains through: a pool's gradient after it on the tier is the cpu backend's", async () => {
    if (!tiers.includes(tier)) return;
    const gradient = (backend: string): Float32Array => {
      tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(values(2 * 8 * 8 * 6, 11), [2, 8, 8, 6]);
        const dy = tf.tensor4d(values(2 * 4 * 4 * 6, 13), [2, 4, 4, 6]);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'same'), dy)))(x).dataSync() as Float32Array;
      });
    };
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    expect(bits(gradient('wasm')).equals(bits(gradient('cpu')))).toBe(true);
  });
});

describe('the native addon\'s maxPool', () => {
  it('refuses sizes under 1, ranges outside the heap and an output over its input, naming them', async () => {
    const loaded = await loadNativeBlas();
    const maxPool = loaded.ok ? loaded.blas.maxPool : undefined;
    if (!maxPool) return;
    const heap = new Float32Array(100);
    // x [1, 4, 4, 1] at 0, y [1, 2, 2, 1] at 16; H W C OH OW KH KW sh sw top left
    const g = [4, 4, 1, 2, 2, 2, 2, 2, 2, 0, 0] as const;
    heap.set(Float32Array.from({ length: 16 }, (_, i) => (i * 7) % 16));
    expect(() => maxPool(heap, 0, 16, 1, ...g)).not.toThrow();
    expect(Array.from(heap.subarray(16, 20))).toEqual([12, 14, 15, 13]);
    expect(() => maxPool(heap, 0, 16, 1, 4, 4, 1, 2, 2, 0, 2, 2, 2, 0, 0)).toThrow(/sizes and strides from 1/);
    expect(() => maxPool(heap, 0, 98, 1, ...g)).toThrow(/y range \[98, 102\) is outside the array of length 100/);
    expect(() => maxPool(heap, 0, 8, 1, ...g)).toThrow(/y overlaps its x/);
    expect(() => maxPool(heap, 0, 16, -1, ...g)).toThrow(/non-negative batch/);
  });
});

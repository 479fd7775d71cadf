import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { BIAS_ADD_FROM } from './bias-add.js';
import { tiersUnderTest } from '../testing/tiers-under-test.js';

const tiers = tiersUnderTest({ beforeAll, afterAll });
afterAll(() => uninstallAcceleration());

/** Reproducible values in about [−4, 4), with NaN, both infinities and both zeros among the first. */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  const special = [Number.NaN, Infinity, -Infinity, -0, 0];
  return Float32Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return i < special.length && seed % 2 === 1 ? (special[i] as number) : (s / 2 ** 32) * 8 - 4;
  });
}

/** tf.add(a, b) of the two shapes on a backend, read back with its shape. */
function sum(backend: string, aShape: number[], bShape: number[]): { shape: number[]; data: Float32Array } {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const size = (s: number[]): number => s.reduce((p, d) => p * d, 1);
    const out = tf.add(tf.tensor(values(size(aShape), 1), aShape), tf.tensor(values(size(bShape), 3), bShape));
    return { shape: out.shape, data: out.dataSync() as Float32Array };
  });
}

/** The bytes of a float array, to compare two bit for bit (a deep equality of 100,000s of elements is slow). */
const bits = (x: Float32Array): Buffer => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

describe.each(['pure', 'native'] as const)('%s tier: an Add of a bias', (tier) => {
  it("is one SIMD pass with the cpu backend's sums bit for bit, on either side, any rank, columns past a multiple of 4", async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const { overrides } = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const handle = overrides.find((h) => h.kernelName === 'Add');
    const cases: [number[], number[]][] = [
      [[20, 28, 28, 32], [32]], // a convolution's output plus its bias
      [[12, 14, 14, 7], [1, 1, 1, 7]], // a tail of three columns past the SIMD pass, a bias of the full rank
      [[3], [2000, 9, 3]], // the bias first, three columns: the scalar loop alone
      [[4096, 5], [1, 5]],
    ];
    for (const [aShape, bShape] of cases) {
      const before = handle?.handled ?? 0;
      const want = sum('cpu', aShape, bShape);
      const got = sum('wasm', aShape, bShape);
      expect(got.shape).toEqual(want.shape);
      expect(bits(got.data).equals(bits(want.data)), `${aShape} + ${bShape}`).toBe(true); // −0, NaN and all
      expect((handle?.handled ?? 0) - before, `${aShape} + ${bShape}`).toBe(1);
    }
    // a sum the check case of each variant ran before its first call: one per case, each passed
    expect([...(handle?.checks.values() ?? [])].filter((d) => d !== 'not handled')).toHaveLength(cases.length);
    expect(handle?.active).toBe(true);
  });

  it('leaves small sums, other broadcasts and other dtypes to the stock kernel, with its numbers', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const { overrides } = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const handle = overrides.find((h) => h.kernelName === 'Add');
    const before = handle?.handled ?? 0;
    const small = Math.floor((BIAS_ADD_FROM - 1) / 8);
    for (const [aShape, bShape] of [[[small, 8], [8]], [[4000, 8], [4000, 1]], [[4000, 8], [4000, 8]], [[4000, 8], [1]]] as [number[], number[]][]) {
      expect(bits(sum('wasm', aShape, bShape).data).equals(bits(sum('cpu', aShape, bShape).data))).toBe(true);
    }
    tf.setBackend('wasm');
    const ints = tf.tidy(() => Array.from(tf.add(tf.ones([4000, 8], 'int32'), tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8], 'int32')).dataSync().slice(0, 8)));
    expect(ints).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect((handle?.handled ?? 0) - before).toBe(0);
  });
});

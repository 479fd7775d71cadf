import * as tf from '@tensorflow/tfjs';
import { aleaState, LONG_DRAW, polarFill, randomNormalFast } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { heapNormalTarget } from './heap-normal-target.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { wasmInternals } from './wasm-internals.js';

beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
});
afterAll(() => uninstallAcceleration());

const firstDifference = (a: Float32Array, b: Float32Array): number => (a.length !== b.length ? -2 : a.findIndex((x, i) => !Object.is(x, b[i])));

describe('long normal draws written into the wasm heap', () => {
  it('the draw is written into the tensor\'s own memory on the heap, and nothing is left behind on failure', () => {
    const be = wasmInternals(tf.backend());
    expect(be).not.toBeNull();
    const shape = [3, LONG_DRAW + 1];
    const n = 3 * (LONG_DRAW + 1);
    const given: Float32Array[] = [];
    const t = heapNormalTarget(shape, (out) => {
      given.push(out);
      polarFill(out, aleaState('21'), -0.5, 1.5);
    });
    expect(t?.shape).toEqual(shape);
    // the array written is a view of the heap, exactly the tensor's memory
    expect(given[0]?.buffer).toBe(be?.wasm.HEAPF32.buffer);
    expect(given[0]?.byteOffset).toBe(be?.dataIdMap.get(t?.dataId ?? {})?.memoryOffset);
    expect(given[0]?.length).toBe(n);
    const want = tf.tidy(() => tf.randomNormal(shape, -0.5, 1.5, 'float32', 21).dataSync() as Float32Array);
    expect(firstDifference(t?.dataSync() as Float32Array, want)).toBe(-1);
    t?.dispose();
    // a write that throws frees the memory it was given and passes the error on
    const before = tf.backend().numDataIds();
    expect(() => heapNormalTarget([n], () => { throw new Error('filler broke'); })).toThrow('filler broke');
    expect(tf.backend().numDataIds()).toBe(before);
    // on another backend it declines without writing
    tf.setBackend('cpu');
    try {
      expect(heapNormalTarget([n], () => expect.fail('written on the cpu backend'))).toBeNull();
    } finally {
      tf.setBackend('wasm');
    }
  });

  it.each(['pure', 'native'] as const)('the %s tier installs it: long draws reach the backend with no array (short ones with one), same numbers', async (tier) => {
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const backend = tf.backend();
    /** What `run` hands the backend's write: values to copy in (an ordinary draw), or null (memory for the target). */
    const handed = (run: () => void): string[] => {
      const write = vi.spyOn(backend, 'write');
      try {
        run();
        return write.mock.calls.map((c) => (c[0] === null ? 'null' : c[0].constructor.name));
      } finally {
        write.mockRestore();
      }
    };
    for (const [shape, seed, long] of [[[LONG_DRAW - 1], 3, false], [[12, 500, 7], 4, true]] as const) {
      const want = tf.tidy(() => tf.randomNormal([...shape], 0.25, 2, 'float32', seed).dataSync() as Float32Array);
      const got = randomNormalFast([...shape], seed, 0.25, 2);
      expect(handed(() => randomNormalFast([...shape], seed, 0.25, 2).dispose())).toEqual([long ? 'null' : 'Float32Array']);
      expect(firstDifference(got.dataSync() as Float32Array, want), `shape ${shape.join('×')}`).toBe(-1);
      got.dispose();
    }
    uninstallAcceleration();
    // the stock kernels: no target, the draw's array is copied in
    expect(handed(() => randomNormalFast([12, 500, 7], 4).dispose())).toEqual(['Float32Array']);
  }, 60_000);
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { ALIGNED_MIN_BYTES, alignAllocations, liveAlignedAllocations, stopAligningAllocations, type WasmAllocator } from './aligned-allocations.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { heapOffset, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

let be: WasmBackendInternals;
beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
  be = wasmInternals(tf.backend())!;
});
afterAll(() => uninstallAcceleration());

/** The byte address of a tensor in the wasm heap. */
const address = (t: tf.Tensor): number => heapOffset(be, t) * 4;

describe('tensors on 64-byte boundaries (wasm tiers)', () => {
  it('with a tier installed, tensors of 1 KB or more start on a cache line, hold their values, and free their blocks', async () => {
    const report = await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    expect(report.reason).toContain('64-byte boundaries');
    const before = liveAlignedAllocations(be.wasm);
    const sizes = [256, 257, 1000, 4099, 25_600];
    const values = sizes.map((n) => Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3));
    const ts = values.map((v) => tf.tensor1d(v));
    for (const t of ts) expect(address(t) % 64).toBe(0);
    ts.forEach((t, i) => expect(t.dataSync()).toEqual(values[i]));
    // a kernel's output too (the allocation goes through the same allocator)
    const sum = tf.add(ts[4]!, ts[4]!);
    expect(address(sum) % 64).toBe(0);
    expect(sum.dataSync()[1]).toBeCloseTo(2 * values[4]![1]!, 3);
    expect(liveAlignedAllocations(be.wasm)).toBe(before + sizes.length + 1);
    for (const t of [...ts, sum]) t.dispose();
    expect(liveAlignedAllocations(be.wasm)).toBe(before);
  });

  it('allocating and freeing over and over does not grow the heap (each block goes back whole)', async () => {
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    const churn = (): void => {
      for (let i = 0; i < 400; i++) tf.tidy(() => void tf.fill([64 + (i % 7), 1000], i).add(1));
    };
    churn();
    const heap = be.wasm.HEAPF32.length;
    for (let r = 0; r < 5; r++) churn();
    expect(be.wasm.HEAPF32.length).toBe(heap);
  });

  it('small tensors and memory it did not shift pass through; after uninstalling, shifted tensors still free', async () => {
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    const before = liveAlignedAllocations(be.wasm);
    const small = tf.tensor1d([1, 2, 3]);
    expect(liveAlignedAllocations(be.wasm)).toBe(before);
    const big = tf.fill([ALIGNED_MIN_BYTES / 4], 7);
    expect(liveAlignedAllocations(be.wasm)).toBe(before + 1);
    uninstallAcceleration();
    const later = tf.fill([ALIGNED_MIN_BYTES], 3);
    expect(liveAlignedAllocations(be.wasm)).toBe(before + 1); // not shifted
    const module = be.wasm as unknown as WasmAllocator;
    const raw = module._malloc(4096); // as the C++ side's own allocations reach `_free`
    module._free(raw);
    big.dispose();
    expect(liveAlignedAllocations(be.wasm)).toBe(before);
    expect(Array.from(small.dataSync())).toEqual([1, 2, 3]);
    expect(later.dataSync()[5]).toBe(3);
    small.dispose();
    later.dispose();
  });

  it('a module without an allocator is left alone', () => {
    expect(alignAllocations({})).toBe(false);
    stopAligningAllocations({});
    expect(liveAlignedAllocations({})).toBe(0);
  });
});

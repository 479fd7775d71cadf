import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAcceleration } from './install-acceleration.js';
import { installKernelOverride } from './install-override.js';
import { oneHotFloatOverride } from './one-hot-dtype.js';
import { tiersUnderTest } from '../testing/tiers-under-test.js';

const tiers = tiersUnderTest({ beforeAll, afterAll });

/** tf.oneHot of the same indices on a backend, read back with its dtype. */
function oneHot(backend: string, indices: number[], depth: number, on: number, off: number, dtype: 'float32' | 'int32', indexDtype: 'int32' | 'float32' = 'int32') {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const t = tf.oneHot(tf.tensor1d(indices, indexDtype) as tf.Tensor1D, depth, on, off, dtype);
    return { dtype: t.dtype, shape: t.shape, values: Array.from(t.dataSync()) };
  });
}

describe.each(['pure', 'native'] as const)('%s tier OneHot with a float32 output', (tier) => {
  it('holds the on and off values as tfjs\'s cpu kernel writes them (tfjs-wasm writes int32 bits)', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const handle = report.overrides.find((h) => h.kernelName === 'OneHot');
    const before = handle?.handled ?? -1;
    // indices outside [0, depth) leave their rows off
    const indices = [1, 0, 2, -1, 5, 2, 0];
    for (const [on, off] of [[1, 0], [2.5, -1], [-0, 7]] as const) {
      const got = oneHot('wasm', indices, 3, on, off, 'float32');
      expect(got).toEqual(oneHot('cpu', indices, 3, on, off, 'float32'));
      expect(got.values.slice(0, 3)).toEqual([off, on, off]);
    }
    expect((handle?.handled ?? 0) - before).toBe(3);
    // int32 outputs stay with the stock kernel, which gets them right
    expect(oneHot('wasm', indices, 4, 1, 0, 'int32')).toEqual(oneHot('cpu', indices, 4, 1, 0, 'int32'));
    expect((handle?.handled ?? 0) - before).toBe(3);
    expect(handle?.active).toBe(true);
  });
});

describe('OneHot override self-check', () => {
  it('a kernel that puts the on value one class late is caught at first use and every call goes to the stock kernel', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'stock' });
    const warnings: string[] = [];
    const spec = oneHotFloatOverride('wasm');
    const late = installKernelOverride({
      ...spec,
      run: (args, below) => {
        const shifted = { ...args, inputs: { indices: args.inputs['indices']! }, attrs: { ...args.attrs } };
        const out = spec.run(shifted, below);
        if (!out) return null;
        // roll every row one class right
        const be = args.backend as unknown as { dataIdMap: Map<object, { memoryOffset: number }>; wasm: { HEAPF32: Float32Array } };
        const o = be.dataIdMap.get(out.dataId as object)!.memoryOffset / 4;
        const depth = Number(args.attrs['depth']);
        const heap = be.wasm.HEAPF32;
        for (let r = 0; r < out.shape[0]!; r++) {
          const row = Array.from(heap.subarray(o + r * depth, o + (r + 1) * depth));
          for (let j = 0; j < depth; j++) heap[o + r * depth + j] = row[(j + depth - 1) % depth]!;
        }
        return out;
      },
    }, (m) => warnings.push(m));
    try {
      const got = tf.tidy(() => tf.oneHot(tf.tensor1d([1, 0], 'int32') as tf.Tensor1D, 3, 1, 0, 'float32').dtype);
      expect(got).toBe('float32');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/OneHot override on wasm disagrees with the stock kernel/);
      expect(late.active).toBe(false);
    } finally {
      late.uninstall();
    }
  });
});

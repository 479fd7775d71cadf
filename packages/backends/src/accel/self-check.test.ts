import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { jsAdamUpdate, pureAdamUpdate, type AdamUpdate } from './adam-update.js';
import { installFusedAdam, uninstallFusedAdam } from './fused-adam.js';
import { uninstallAcceleration } from './install-acceleration.js';
import { installKernelOverride } from './install-override.js';
import { matMulCheckCase, matMulVariantKey } from './matmul-geometry.js';
import { heapOffset, wasmInternals } from './wasm-internals.js';

beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
});
afterAll(() => uninstallAcceleration());

const product = (a: tf.Tensor, b: tf.Tensor): Float32Array => tf.tidy(() => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true).dataSync() as Float32Array);

describe('first-use self-check', () => {
  it('falls back to the stock kernel with exactly one warning when an override is wrong', () => {
    uninstallAcceleration();
    const a = tf.randomNormal([6, 5], 0, 1, 'float32', 1);
    const b = tf.randomNormal([4, 5], 0, 1, 'float32', 2);
    const want = product(a, b);
    const warnings: string[] = [];
    const handle = installKernelOverride(
      {
        kernelName: 'BatchMatMul',
        backendName: 'wasm',
        tier: 'pure',
        // deliberately wrong: the right product plus 0.5 in its first element
        run: (args, below) => {
          const out = below(args);
          const be = wasmInternals(args.backend);
          if (be) {
            const i = heapOffset(be, out);
            be.wasm.HEAPF32[i] = (be.wasm.HEAPF32[i] as number) + 0.5;
          }
          return out;
        },
        variantKey: matMulVariantKey,
        checkCase: matMulCheckCase,
        tolerance: { atol: 1e-5, rtol: 1e-4 },
      },
      (m) => warnings.push(m),
    );
    const got = [product(a, b), product(a, b), product(a, b)];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/BatchMatMul override on wasm disagrees with the stock kernel/);
    expect(handle.active).toBe(false);
    for (const g of got) expect(Array.from(g)).toEqual(Array.from(want));
    handle.uninstall();
    tf.dispose([a, b]);
  });
});

/** Train three variables with Adam for `steps` steps on a fixed quadratic and return their values. */
function adamTrajectory(steps: number): number[] {
  const w = tf.variable(tf.randomNormal([7, 3], 0, 1, 'float32', 3));
  const b = tf.variable(tf.zeros([3]));
  const s = tf.variable(tf.scalar(0.5));
  const x = tf.randomNormal([9, 7], 0, 1, 'float32', 4);
  const opt = tf.train.adam(0.05);
  for (let i = 0; i < steps; i++) {
    opt.minimize(() => tf.tidy(() => x.matMul(w).add(b).mul(s).sub(1).square().mean() as tf.Scalar));
  }
  const out = [...w.dataSync(), ...b.dataSync(), ...s.dataSync()];
  tf.dispose([w, b, s, x]);
  opt.dispose();
  return out;
}

describe('fused Adam', () => {
  it.each([
    ['JS loop', jsAdamUpdate],
    ['SIMD wasm module', pureAdamUpdate],
  ] as const)('%s follows tfjs Adam within float32 rounding over 20 steps', (_label, update) => {
    uninstallFusedAdam();
    const want = adamTrajectory(20);
    installFusedAdam(update, 'pure', (m) => expect.fail(m));
    const got = adamTrajectory(20);
    uninstallFusedAdam();
    // 20 steps of lr 0.05 move parameters by O(1); float32 differences of ~1e-7 per step stay far below 1e-4
    got.forEach((g, i) => expect(Math.abs(g - (want[i] as number))).toBeLessThan(1e-4));
    expect(Math.max(...got.map((g, i) => Math.abs(g - (want[i] as number))))).toBeLessThan(1e-4);
    const start = adamTrajectory(0);
    expect(Math.max(...want.map((v, i) => Math.abs(v - (start[i] as number))))).toBeGreaterThan(0.1); // it did move
  });

  it('writes the weights in place, and a stock matmul that packed a weight before multiplies by its new values', () => {
    const w = tf.variable(tf.randomUniform([16, 8], -1, 1, 'float32', 3));
    const x = tf.randomUniform([4, 16], -1, 1, 'float32', 4) as tf.Tensor2D;
    const opt = tf.train.adam(0.1);
    // the stock kernels (this file's wasm backend runs no overrides): XNNPACK packs w and keeps it by tensor id
    const forward = (): Float32Array => tf.tidy(() => tf.matMul(x, w).dataSync() as Float32Array);
    const product = (wv: Float32Array, xv: Float32Array): number[] =>
      Array.from({ length: 32 }, (_, e) => Array.from({ length: 16 }, (_, k) => (xv[Math.floor(e / 8) * 16 + k] as number) * (wv[k * 8 + (e % 8)] as number)).reduce((p, q) => p + q, 0));
    const xv = x.dataSync() as Float32Array;
    const before = w.dataSync().slice();
    installFusedAdam(pureAdamUpdate, 'pure', (m) => expect.fail(m));
    try {
      let id: object | undefined;
      for (let i = 0; i < 4; i++) {
        forward();
        opt.minimize(() => tf.sum(tf.matMul(x, w)) as tf.Scalar);
        // the first update copies w out of the buffer it shares with its initial value; later ones stay there
        if (i > 0) expect(w.dataId, `step ${i} in place`).toBe(id);
        id = w.dataId as object;
        const got = forward();
        product(w.dataSync() as Float32Array, xv).forEach((want, e) => expect(Math.abs((got[e] as number) - want), `step ${i}, element ${e}`).toBeLessThan(1e-5));
      }
      expect(Math.max(...before.map((b, i) => Math.abs(b - (w.dataSync()[i] as number))))).toBeGreaterThan(0.1); // it moved
    } finally {
      uninstallFusedAdam();
      tf.dispose([w, x]);
      opt.dispose();
    }
  });

  it('falls back to the stock update with one warning when the fused update is wrong', () => {
    const want = adamTrajectory(3);
    const wrong: AdamUpdate = (heap, n, p, g, m, v, out, ...rest) => {
      jsAdamUpdate(heap, n, p, g, m, v, out, ...rest);
      heap[out] = (heap[out] as number) + 1;
    };
    const warnings: string[] = [];
    installFusedAdam(wrong, 'test', (m) => warnings.push(m));
    const got = adamTrajectory(3);
    uninstallFusedAdam();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/fused Adam update disagrees/);
    expect(got).toEqual(want);
  });
});

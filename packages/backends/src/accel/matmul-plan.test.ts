import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { PLAN_ATTR, matMulPlan, type MatMulPlan } from './pure-matmul.js';

beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
});
afterAll(() => uninstallAcceleration());

const info = (shape: number[]): TensorInfo => ({ dataId: {}, shape, dtype: 'float32' });
const plan = (a: number[], b: number[], tA: boolean, tB: boolean, fused = false): MatMulPlan =>
  matMulPlan({ inputs: { a: info(a), b: info(b) }, backend: tf.backend(), attrs: { transposeA: tA, transposeB: tB } }, fused);

describe('matmul plan (cost model)', () => {
  it('packs the batch-sized operand instead of the weights on the VIB shapes', () => {
    tf.setBackend('wasm');
    expect(plan([100, 784], [784, 1024], false, false)).toBe('swapped'); // forward X·W: pack Xᵀ (78k) not W (803k)
    expect(plan([100, 1024], [1024, 1024], false, true)).toBe('swapped'); // dX = dY·Wᵀ as (W·dYᵀ)ᵀ
    expect(plan([100, 1024], [100, 1024], true, false)).toBe('direct'); // dW = Xᵀ·dY: transpose X, pack dY
    expect(plan([3, 5], [5, 4], false, false)).toBe('below'); // small and untransposed: the stock kernel
    expect(plan([100, 784], [784, 1024], false, false, true)).toBe('below'); // fused calls never transpose the output
    expect(plan([2, 5, 3], [2, 5, 4], true, false)).toBe('direct'); // batched: transposes materialized only
  });
});

// Odd shapes, every transpose combination, each plan pinned (the self-check pins plans the same way).
const geometries: [number, number, number][] = [[1, 1, 1], [1, 7, 3], [5, 1, 9], [13, 37, 6], [9, 16, 33]];
describe.each(['direct', 'swapped'] as const)('pinned plan %s', (pinned) => {
  it('agrees with the cpu kernel on odd shapes within 1e-4', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    let seed = 1;
    for (const [m, k, n] of geometries) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const [aShape, bShape] = [tA ? [k, m] : [m, k], tB ? [n, k] : [k, n]];
          const [av, bv] = [aShape, bShape].map((s) => tf.randomUniform(s, -1, 1, 'float32', seed++).dataSync());
          const run = (backend: string, attrs: Record<string, unknown>): Float32Array => {
            tf.setBackend(backend);
            return tf.tidy(() => {
              const inputs = { a: tf.tensor(av as Float32Array, aShape), b: tf.tensor(bv as Float32Array, bShape) };
              return (tf.engine().runKernel('BatchMatMul', inputs, attrs as never) as tf.Tensor).dataSync() as Float32Array;
            });
          };
          const want = run('cpu', { transposeA: tA, transposeB: tB });
          const got = run('wasm', { transposeA: tA, transposeB: tB, [PLAN_ATTR]: pinned });
          expect(got.length).toBe(m * n);
          // float32 sums of ≤ 37 products of |x| < 1: error ≤ k·u·Σ|a||b| ≈ 37·6e-8·37 ≈ 8e-5
          got.forEach((g, i) => expect(Math.abs(g - (want[i] as number)), `${m}×${k}×${n} tA=${tA} tB=${tB} [${i}]`).toBeLessThan(1e-4));
        }
      }
    }
    tf.setBackend('wasm');
  });
});

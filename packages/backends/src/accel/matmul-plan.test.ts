import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { PLAN_ATTR, gemmAvailable, markRightOperand, matMulPlan, wroteInPlace, type MatMulPlan } from './pure-matmul.js';
import { wasmInternals } from './wasm-internals.js';

beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
});
afterAll(() => uninstallAcceleration());

const info = (shape: number[]): TensorInfo => ({ dataId: {}, shape, dtype: 'float32' });
// the cost model is what runs where the SIMD GEMM does not (no wasm SIMD, heap out of reach)
const plan = (a: number[], b: number[], tA: boolean, tB: boolean, fused = false, gemm = false): MatMulPlan =>
  matMulPlan({ inputs: { a: info(a), b: info(b) }, backend: tf.backend(), attrs: { transposeA: tA, transposeB: tB } }, fused, gemm);

describe('matmul plan with the SIMD GEMM', () => {
  it('takes every unfused float32 call, and leaves fused and non-float32 calls to the other plans', () => {
    tf.setBackend('wasm');
    expect(gemmAvailable(tf.backend())).toBe(true);
    const args = (a: TensorInfo, b: TensorInfo) => ({ inputs: { a, b }, backend: tf.backend(), attrs: { transposeA: false, transposeB: true } });
    expect(matMulPlan(args(info([100, 784]), info([1024, 784])), false)).toBe('gemm');
    expect(matMulPlan(args(info([3, 5]), info([4, 5])), false)).toBe('gemm');
    expect(matMulPlan(args(info([100, 784]), info([1024, 784])), true)).toBe('direct');
    expect(matMulPlan(args({ ...info([3, 5]), dtype: 'int32' }, info([4, 5])), false)).toBe('below');
  });
});

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

describe('a weight already taken by an earlier call (inference: the stock kernel has it packed)', () => {
  it('runs X·W through the stock kernel instead of repacking Xᵀ', () => {
    tf.setBackend('wasm');
    const [a, b] = [info([100, 784]), info([784, 1024])];
    const args = { inputs: { a, b }, backend: tf.backend(), attrs: { transposeA: false, transposeB: false } };
    expect(matMulPlan(args, false, false)).toBe('swapped');
    markRightOperand(b);
    expect(matMulPlan(args, false, false)).toBe('below');
    // written in place (the fused Adam), its packing is gone: the cost model decides again
    wroteInPlace(wasmInternals(tf.backend())!, b);
    expect(matMulPlan(args, false, false)).toBe('swapped');
    markRightOperand(b);
    // a transposed weight is a new tensor either way: the cost model still decides
    expect(matMulPlan({ ...args, inputs: { a: info([100, 1024]), b }, attrs: { transposeA: false, transposeB: true } }, false, false)).toBe('swapped');
  });

  it('repeated fused inference with the same weights equals the cpu backend every time', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    const [xv, wv, bv] = [[37, 50], [50, 29], [29]].map((s, i) => tf.randomUniform(s, -1, 1, 'float32', 100 + i).dataSync() as Float32Array);
    const forward = (backend: string, calls: number): Float32Array[] => {
      tf.setBackend(backend);
      const w = tf.tensor2d(wv!, [50, 29]);
      const bias = tf.tensor1d(bv!);
      const outs = Array.from({ length: calls }, () =>
        tf.tidy(() => tf.fused.matMul({ a: tf.tensor2d(xv!, [37, 50]), b: w, bias, activation: 'relu' }).dataSync() as Float32Array));
      w.dispose();
      bias.dispose();
      return outs;
    };
    const [want] = forward('cpu', 1);
    for (const got of forward('wasm', 3)) got.forEach((g, i) => expect(Math.abs(g - want![i]!)).toBeLessThan(1e-4));
    tf.setBackend('wasm');
  });
});

describe('a fused matmul on the SIMD GEMM, its bias and activation in one SIMD pass', () => {
  // tails of rows (m mod 4) and columns (n mod 8, n mod 4), transposed weights, a batch of 2, and a sparse left
  // operand (ReLU-like, 60 % zeros, about the VIB layers' size) that takes the sparse GEMM
  const cases: { m: number; k: number; n: number; tB?: boolean; batch?: number; zeros?: number }[] = [
    { m: 7, k: 13, n: 29 }, { m: 33, k: 67, n: 131, tB: true }, { m: 6, k: 9, n: 16, batch: 2 }, { m: 100, k: 512, n: 93, zeros: 0.6 },
  ];
  it.each(cases)('$m×$k×$n: bitwise the product, then the stock wasm Add and Relu kernels', async ({ m, k, n, tB = false, batch = 1, zeros = 0 }) => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'pure', warn: (msg) => expect.fail(msg) });
    const lead = batch > 1 ? [batch] : [];
    const [aShape, bShape] = [[...lead, m, k], [...lead, ...(tB ? [n, k] : [k, n])]];
    const av = tf.randomUniform(aShape, -1, 1, 'float32', 7).dataSync().map((x, i) => (Math.sin(13 * i) + 1) / 2 < zeros ? 0 : x);
    const [bv, biasv] = [bShape, [n]].map((s, i) => tf.randomUniform(s, -1, 1, 'float32', 8 + i).dataSync());
    for (const activation of ['relu', 'linear'] as const) {
      // twice: a weight taken before keeps its packing (inference), and the second call reads it
      for (let call = 0; call < 2; call++) {
        const [got, want] = tf.tidy(() => {
          const [a, b, bias] = [tf.tensor(av, aShape), tf.tensor(bv as Float32Array, bShape), tf.tensor1d(biasv as Float32Array)];
          const fused = tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation, transposeB: tB });
          const plain = tf.add(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, tB), bias);
          return [fused.dataSync() as Float32Array, (activation === 'relu' ? tf.relu(plain) : plain).dataSync() as Float32Array];
        });
        expect(Array.from(new Uint32Array(got.buffer))).toEqual(Array.from(new Uint32Array(want.buffer)));
        if (activation === 'relu') expect(got.some((x) => x === 0) && got.some((x) => x > 0)).toBe(true);
      }
    }
  });
});

// Odd shapes, every transpose combination, each plan pinned (the self-check pins plans the same way).
const geometries: [number, number, number][] = [[1, 1, 1], [1, 7, 3], [5, 1, 9], [13, 37, 6], [9, 16, 33], [6, 7, 16]];
describe.each(['gemm', 'direct', 'swapped'] as const)('pinned plan %s', (pinned) => {
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

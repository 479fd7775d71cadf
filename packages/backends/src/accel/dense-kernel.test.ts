import * as tf from '@tensorflow/tfjs';
import { denseKernelConfig, FUSED_KERNELS, fusedDense, type DenseActivation } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { exactBits } from '../testing/float-bits.js';
import { tiersUnderTest } from '../testing/tiers-under-test.js';

const values = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 0.9);
const bits = (t: tf.Tensor): number[] => exactBits(t.dataSync() as Float32Array);

/** tfjs's composition under a tape: matMul, the bias add and ReLU as their own kernels (what tf.layers.dense runs). */
const stock = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: DenseActivation): tf.Tensor2D => {
  const y = tf.add(tf.matMul(x, w), b);
  return (activation === 'relu' ? tf.relu(y) : y) as tf.Tensor2D;
};

/** Value and the three gradients of Σ weights ⊙ dense(x, w, b) through `f`. */
function valueAndGrads(f: typeof stock, shape: [number, number, number], activation: DenseActivation): tf.Tensor[] {
  const [rows, inDim, outDim] = shape;
  const x = tf.tensor2d(values(rows * inDim, rows), [rows, inDim]);
  const w = tf.tensor2d(values(inDim * outDim, inDim + 1), [inDim, outDim]);
  const b = tf.tensor1d(values(outDim, outDim + 2));
  const weights = tf.tensor2d(values(rows * outDim, 3), [rows, outDim]);
  const loss = (...a: tf.Tensor[]) => tf.sum(tf.mul(f(a[0] as tf.Tensor2D, a[1] as tf.Tensor2D, a[2] as tf.Tensor1D, activation), weights));
  return [f(x, w, b, activation), ...tf.grads(loss)([x, w, b])];
}

const tiers = tiersUnderTest({ beforeAll, afterAll });

// odd shapes: a single row and column, sizes off every SIMD width and GEMM tile, and the VIB MLP's second layer
const SHAPES: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [13, 17, 33], [100, 1024, 256]];

describe.each(['pure', 'native'] as const)('VibDense in the %s tier', (tier) => {
  it('is registered with the tier and gone with it', async () => {
    if (!tiers.includes(tier)) return; // addon not built here
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    expect(tf.getKernel(FUSED_KERNELS.dense, 'wasm')).toBeDefined();
    expect(report.overrides.find((h) => h.kernelName === FUSED_KERNELS.dense)?.tier).toBe(tier);
    uninstallAcceleration();
    expect(tf.getKernel(FUSED_KERNELS.dense, 'wasm')).toBeUndefined();
  });

  it.each(['linear', 'relu'] as const)('%s: the value and x̄, w̄, b̄ equal the stock kernels\' bits on odd shapes', async (activation) => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const dense = report.overrides.find((h) => h.kernelName === FUSED_KERNELS.dense);
    const mask = report.overrides.find((h) => h.kernelName === FUSED_KERNELS.reluGrad);
    for (const shape of SHAPES) {
      const [before, masksBefore] = [dense?.handled ?? 0, mask?.handled ?? 0];
      const got = valueAndGrads(fusedDense as typeof stock, shape, activation);
      expect(dense?.handled, 'the VibDense kernel ran').toBeGreaterThan(before);
      // a ReLU layer's gradient masks dy with the tier's VibReluGrad, one kernel for tfjs's Step and Multiply
      expect((mask?.handled ?? 0) - masksBefore, 'VibReluGrad calls').toBe(activation === 'relu' ? 1 : 0);
      const want = valueAndGrads(stock, shape, activation);
      // the same products and the same float32 bias adds, in one kernel instead of three
      got.forEach((g, i) => expect(bits(g), `${['value', 'x̄', 'w̄', 'b̄'][i]} at ${shape.join('×')}`).toEqual(bits(want[i] as tf.Tensor)));
      tf.dispose([...got, ...want]);
    }
  });
});

// tfjs-wasm's own _FusedMatMul reads rank-3 operands only (a rank-2 call reads out of bounds): VibDense hands them over as
// batches of one, as tf.fused.matMul does. A browser page has no cpu backend, so there the tier's self-check compares
// with this stock kernel, and the stock kernel is what a failed self-check falls back to.
describe('VibDense over the stock wasm kernel', () => {
  it.each(['linear', 'relu'] as const)('%s: the stock composition\'s bits on odd shapes', async (activation) => {
    uninstallAcceleration();
    tf.setBackend('wasm');
    tf.registerKernel(denseKernelConfig('wasm'));
    try {
      for (const shape of SHAPES) {
        const got = valueAndGrads(fusedDense as typeof stock, shape, activation);
        const want = valueAndGrads((x, w, b, a) => tf.fused.matMul({ a: x, b: w, bias: b, activation: a }) as tf.Tensor2D, shape, activation);
        got.forEach((g, i) => expect(bits(g), `${['value', 'x̄', 'w̄', 'b̄'][i]} at ${shape.join('×')}`).toEqual(bits(want[i] as tf.Tensor)));
        tf.dispose([...got, ...want]);
      }
    } finally {
      tf.unregisterKernel(FUSED_KERNELS.dense, 'wasm');
    }
  });
});

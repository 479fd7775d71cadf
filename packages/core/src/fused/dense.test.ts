import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denseKernelConfig, fusedDense, type DenseActivation } from './dense.js';
import { FUSED_KERNELS } from './fused-op.js';

const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));
/** Deterministic values in (−1, 1) with a third of them below zero after the product (ReLU's mask has both kinds). */
const values = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 0.9);

/** The stock composition of tfjs (matMul, bias add, ReLU as separate kernels under a tape). */
const stock = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D | null, activation: DenseActivation): tf.Tensor2D => {
  const y = b === null ? tf.matMul(x, w) : tf.add(tf.matMul(x, w), b);
  return (activation === 'relu' ? tf.relu(y) : y) as tf.Tensor2D;
};

// A backend that registers VibDense (here tfjs's cpu, through denseKernelConfig) gets one tape node per layer; its
// value and its three gradients are the stock composition's, bit for bit (the same kernels run, only fewer of them).
describe('fusedDense with a VibDense kernel (cpu)', () => {
  beforeAll(() => {
    tf.setBackend('cpu');
    tf.registerKernel(denseKernelConfig('cpu'));
  });
  afterAll(() => tf.unregisterKernel(FUSED_KERNELS.dense, 'cpu'));

  const cases: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [17, 9, 2], [64, 33, 31]];
  for (const activation of ['linear', 'relu'] as const) {
    for (const withBias of [true, false]) {
      it(`${activation}${withBias ? ' with bias' : ', no bias'}: value and x̄, w̄, b̄ equal the stock composition's bits on odd shapes`, () => {
        for (const [rows, inDim, outDim] of cases) {
          const x = tf.tensor2d(values(rows * inDim, 1 + rows), [rows, inDim]);
          const w = tf.tensor2d(values(inDim * outDim, 2 + inDim), [inDim, outDim]);
          const b = withBias ? tf.tensor1d(values(outDim, 3 + outDim)) : null;
          // a loss that weighs each output differently, so a transposed or summed-wrong gradient shows
          const weights = tf.tensor2d(values(rows * outDim, 4), [rows, outDim]);
          const lossOf = (f: typeof stock) => (...a: tf.Tensor[]) => tf.sum(tf.mul(f(a[0] as tf.Tensor2D, a[1] as tf.Tensor2D, (a[2] ?? null) as tf.Tensor1D | null, activation), weights));
          const inputs = b === null ? [x, w] : [x, w, b];
          expect(bits(fusedDense(x, w, b, activation))).toEqual(bits(stock(x, w, b, activation)));
          const got = tf.grads(lossOf(fusedDense))(inputs);
          const want = tf.grads(lossOf(stock))(inputs);
          got.forEach((g, i) => expect(bits(g), `gradient ${i} at [${rows}, ${inDim}]·[${inDim}, ${outDim}]`).toEqual(bits(want[i] as tf.Tensor)));
          if (rows * outDim > 20) {
            // the case has both kinds of pre-activation, so ReLU's mask is tested on both sides
            const pre = stock(x, w, b, 'linear').dataSync();
            expect(pre.some((v) => v < 0) && pre.some((v) => v > 0)).toBe(true);
          }
        }
      });
    }
  }

  it('records one kernel where the stock composition records three, and runs no x̄ product that nothing needs', async () => {
    const x = tf.tensor2d(values(40, 5), [8, 5]);
    const w = tf.variable(tf.tensor2d(values(30, 6), [5, 6]));
    const b = tf.variable(tf.tensor1d(values(6, 7)));
    const names = async (f: () => void): Promise<string[]> => (await tf.profile(f)).kernels.map((k) => k.name);
    const fused = await names(() => void fusedDense(x, w as tf.Tensor2D, b as tf.Tensor1D, 'relu'));
    expect(fused.filter((n) => n !== 'Identity')).toEqual([FUSED_KERNELS.dense]);
    // gradients of the weights only: w̄ = xᵀ·g is one product, and x̄ = g·wᵀ is never computed
    const backward = await names(() => void tf.variableGrads(() => tf.sum(fusedDense(x, w as tf.Tensor2D, b as tf.Tensor1D, 'relu')), [w, b]));
    expect(backward.filter((n) => n === 'BatchMatMul')).toHaveLength(1);
    const stockBackward = await names(() => void tf.variableGrads(() => tf.sum(stock(x, w as tf.Tensor2D, b as tf.Tensor1D, 'relu')), [w, b]));
    expect(backward.length).toBeLessThan(stockBackward.length);
  });

  it('other activations, ranks and dtypes run as tf.fused.matMul, with its results', () => {
    const x = tf.tensor2d(values(12, 8), [4, 3]);
    const w = tf.tensor2d(values(6, 9), [3, 2]);
    const b = tf.tensor1d([0.5, -0.5]);
    const elu = fusedDense(x, w, b, 'elu' as DenseActivation);
    expect(bits(elu)).toEqual(bits(tf.fused.matMul({ a: x, b: w, bias: b, activation: 'elu' })));
    const [gx] = tf.grads((a: tf.Tensor) => tf.sum(fusedDense(a as tf.Tensor2D, w, b, 'elu' as DenseActivation)))([x]);
    const [wantGx] = tf.grads((a: tf.Tensor) => tf.sum(tf.elu(tf.add(tf.matMul(a as tf.Tensor2D, w), b))))([x]);
    expect(bits(gx!)).toEqual(bits(wantGx!));
    // a bias of the wrong width is tfjs's error, not a silent broadcast in the kernel
    expect(() => fusedDense(x, w, tf.tensor1d([1, 2, 3]), 'linear')).toThrow();
  });
});

import * as tf from '@tensorflow/tfjs';
import { denseKernelConfig, FUSED_KERNELS } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyLayer } from './apply-layer.js';

const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));
const input = (rows: number, cols: number, seed: number): tf.Tensor2D =>
  tf.tensor2d(Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(seed + i * 1.7)), [rows, cols]);

/** A built layer (its weights seeded), so the fast path and layer.apply see the same variables. */
function built(config: Parameters<typeof tf.layers.dense>[0], inDim: number): tf.layers.Layer {
  const layer = tf.layers.dense({ kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: tf.initializers.randomNormal({ seed: 4 }), ...config });
  layer.apply(tf.zeros([1, inDim]));
  return layer;
}

/** Output and gradients of Σ sin(layer(x)) w.r.t. the layer's weights, through `run`. */
function outputAndGrads(layer: tf.layers.Layer, x: tf.Tensor, run: (l: tf.layers.Layer, x: tf.Tensor) => tf.Tensor): number[][] {
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.sin(run(layer, x))) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
  return [bits(run(layer, x)), bits(value), ...Object.values(grads).map(bits)];
}
const stock = (l: tf.layers.Layer, x: tf.Tensor): tf.Tensor => l.apply(x) as tf.Tensor;

describe('applyLayer', () => {
  beforeAll(() => {
    tf.setBackend('cpu');
    tf.registerKernel(denseKernelConfig('cpu'));
  });
  afterAll(() => tf.unregisterKernel(FUSED_KERNELS.dense, 'cpu'));

  it.each([
    ['relu', { units: 6, activation: 'relu' }],
    ['linear', { units: 5 }],
    ['relu without a bias', { units: 7, activation: 'relu', useBias: false }],
  ] as const)('a Dense layer (%s): the output and the weights\' gradients are layer.apply\'s, bit for bit, from one tape node', async (_, config) => {
    const layer = built(config, 9);
    const x = input(11, 9, 1);
    expect(outputAndGrads(layer, x, applyLayer)).toEqual(outputAndGrads(layer, x, stock));
    const kernels = (await tf.profile(() => void applyLayer(layer, x))).kernels.map((k) => k.name).filter((n) => n !== 'Identity');
    expect(kernels).toEqual([FUSED_KERNELS.dense]);
  });

  it('other activations, other layers, rank-3 inputs and unbuilt layers go through layer.apply', async () => {
    const tanh = built({ units: 4, activation: 'tanh' }, 3);
    const x = input(5, 3, 2);
    expect(outputAndGrads(tanh, x, applyLayer)).toEqual(outputAndGrads(tanh, x, stock));
    expect((await tf.profile(() => void applyLayer(tanh, x))).kernels.map((k) => k.name)).not.toContain(FUSED_KERNELS.dense);
    const relu = built({ units: 4, activation: 'relu' }, 3);
    const x3 = tf.reshape(input(6, 3, 3), [2, 3, 3]);
    expect(bits(applyLayer(relu, x3))).toEqual(bits(stock(relu, x3)));
    expect(applyLayer(relu, x3).shape).toEqual([2, 3, 4]);
    const fresh = tf.layers.dense({ units: 2, activation: 'relu' });
    expect(applyLayer(fresh, x).shape).toEqual([5, 2]); // built by layer.apply on the way
    expect(fresh.built).toBe(true);
    expect(applyLayer(tf.layers.flatten(), tf.zeros([2, 3, 4])).shape).toEqual([2, 12]);
  });
});

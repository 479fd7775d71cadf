import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';

beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
  await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
});
afterAll(() => uninstallAcceleration());

describe('copy-free Identity (pure tier)', () => {
  it('a clone shares the buffer, outlives its source, and frees it when the last one goes', () => {
    tf.setBackend('wasm');
    const before = tf.memory();
    const x = tf.tensor2d([[1, -2, 3], [4, 5, -6]]);
    const y = tf.clone(x);
    expect(tf.memory().numDataBuffers - before.numDataBuffers).toBe(1); // one buffer, not two
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3, 4, 5, -6]);
    y.dispose();
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('gradients that save their inputs are unchanged and leave no tensor behind', () => {
    tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const init = tf.tensor2d([[0.5, -1], [2, 0.25]]);
    const w = tf.variable(init);
    init.dispose();
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(tf.matMul(x, w))) as tf.Scalar, [w]);
    // d/dW Σ (XW)² = 2·Xᵀ(XW)
    const want = tf.tidy(() => tf.matMul(x, tf.matMul(x, w), true, false).mul(2));
    expect(Array.from(grads[w.name]!.dataSync())).toEqual(Array.from(want.dataSync()));
    for (const t of [value, grads[w.name]!, want, x, w]) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { tiersUnderTest } from '../testing/tiers-under-test.js';

const tiers = tiersUnderTest({ beforeAll, afterAll });
afterAll(() => uninstallAcceleration());

// x with zeros of both signs, NaN, infinities and a subnormal; dy with an infinity and a NaN where x is negative
const X = [1.5, -2, 0, -0, Number.NaN, Infinity, -Infinity, 1e-40, 3, -0.5, 2, -7];
const DY = [0.25, Infinity, 2, -1, 3, 0.5, 4, -2, Number.NaN, Number.NaN, -3, 1];

/** The gradient of Σ dy ⊙ relu(x) on a backend, read back. */
function reluGradient(backend: string): number[] {
  tf.setBackend(backend);
  return tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.relu(x), tf.tensor2d(DY, [3, 4]))))(tf.tensor2d(X, [3, 4])).dataSync()));
}

/** d/dx Σ ∂/∂x Σ x ⊙ relu(x) (a gradient of a gradient through the ReLU) on a backend, read back. */
function secondOrder(backend: string): number[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const inner = (x: tf.Tensor): tf.Tensor => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, tf.relu(t))))(x);
    return Array.from(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(inner(x), x)))(tf.tensor1d([1.5, -2, 0.5, -0.25, 3])).dataSync());
  });
}

describe.each(['pure', 'native'] as const)('%s tier: the gradient of tf.relu', (tier) => {
  it('is one fused pass, with cpu\'s numbers (NaN, infinities, zeros of both signs), and has a gradient of its own', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const { overrides } = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const handle = overrides.find((h) => h.kernelName === 'VibReluGrad');
    const before = handle?.handled ?? 0;
    const want = reluGradient('cpu');
    // dy where x > 0, dy·0 where x ≤ 0 (−0 for a negative dy, NaN for ∞·0), NaN where x is NaN
    expect(want.slice(0, 8)).toEqual([0.25, Number.NaN, 0, -0, Number.NaN, 0.5, 0, -2]);
    expect(reluGradient('wasm')).toEqual(want);
    expect((handle?.handled ?? 0) - before).toBe(1);
    // f = Σ x·relu(x): f' = relu(x) + x·step(x); Σ f'·x differentiated: 2·relu(x) + 2·x·step(x) = 4x where x > 0
    expect(secondOrder('cpu')).toEqual([6, 0, 2, 0, 12]);
    expect(secondOrder('wasm')).toEqual(secondOrder('cpu'));
  });

  it('is tfjs\'s own again once the acceleration is uninstalled', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const ours = tf.getGradient('Relu');
    uninstallAcceleration();
    expect(tf.getGradient('Relu')).not.toBe(ours);
    expect(reluGradient('wasm')).toEqual(reluGradient('cpu'));
  });
});

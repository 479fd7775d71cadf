import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { bitsOneNaN } from '../testing/float-bits.js';

beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
});
afterAll(() => uninstallAcceleration());

// [shape, axis, keepDims]: the KL's sum over the code, a bias-like sum over rows, both axes, a middle axis, none
const CASES: [number[], number | number[] | null, boolean][] = [
  [[5, 7], 1, false], [[5, 7], 0, true], [[3, 4, 5], [0, 2], false], [[3, 4, 5], 1, true], [[6], null, false], [[1, 1], -1, false],
];
const SPECIAL = [Number.NaN, Infinity, -Infinity, 0, -0, 1e-40];

/** Gradients of Σ w·sum(x) and Σ w·mean(x) (w fixed, with special values) for every case, on the active backend. */
function gradients(): number[][] {
  return CASES.flatMap(([shape, axis, keepDims]) =>
    (['sum', 'mean'] as const).map((op) =>
      tf.tidy(() => {
        const x = tf.tensor(Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => Math.sin(i + 1)), shape);
        const f = (t: tf.Tensor) => (op === 'sum' ? tf.sum(t, axis ?? undefined, keepDims) : tf.mean(t, axis ?? undefined, keepDims));
        const out = f(x);
        const w = tf.tensor(Float32Array.from({ length: out.size }, (_, i) => SPECIAL[i] ?? 0.5 + i), out.shape);
        return bitsOneNaN(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), w)))(x).dataSync() as Float32Array);
      }),
    ),
  );
}

describe('Sum and Mean gradients with ones from Fill', () => {
  it.each(['cpu', 'wasm'])('on %s: the bits of tfjs\'s own, without writing a JavaScript array of ones', async (backend) => {
    tf.setBackend('wasm');
    uninstallAcceleration();
    const stockSum = tf.getGradient('Sum');
    tf.setBackend(backend);
    const want = gradients();
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    expect(tf.getGradient('Sum')).not.toBe(stockSum);
    tf.setBackend(backend);
    const kernels = (await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(t, 1))(tf.ones([4, 3])))).kernels.map((k) => k.name);
    expect(kernels).toContain('Fill');
    expect(gradients()).toEqual(want);
    tf.setBackend('wasm');
    uninstallAcceleration();
    expect(tf.getGradient('Sum')).toBe(stockSum);
  });

  it('leaves a gradient registered by someone else after it in place when uninstalled', async () => {
    tf.setBackend('wasm');
    uninstallAcceleration();
    const stockMean = tf.getGradient('Mean') as tf.GradConfig;
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    const mine = { ...stockMean };
    tf.registerGradient(mine);
    uninstallAcceleration();
    expect(tf.getGradient('Mean')).toBe(mine);
    tf.registerGradient(stockMean);
  });
});

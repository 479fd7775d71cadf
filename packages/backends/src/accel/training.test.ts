import * as tf from '@tensorflow/tfjs';
import { fusedDense, reparameterize, softmaxCrossEntropyRows, stdNormalKLPerDim } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { loadNativeBlas } from './load-native-blas.js';
import { wasmInternals } from './wasm-internals.js';

/**
 * A small VIB-shaped model (20 → 32 ReLU → μ, log σ² of 4 → 3 classes), z = μ + σ·ε with a fixed ε, Adam, through
 * `@vib/core`'s ops (the fused kernels and one-node dense layers on an accelerated wasm tier, the stock composition on cpu).
 */
function makeTrainer() {
  const layer = (i: number, o: number, seed: number) => ({
    w: tf.variable(tf.randomNormal([i, o], 0, 0.3, 'float32', seed)),
    b: tf.variable(tf.zeros([o])),
  });
  const layers = [layer(20, 32, 1), layer(32, 4, 2), layer(32, 4, 3), layer(4, 3, 4)] as const;
  const x = tf.randomNormal([8, 20], 0, 1, 'float32', 5) as tf.Tensor2D;
  const eps = tf.randomNormal([8, 4], 0, 1, 'float32', 6);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3).toFloat());
  const opt = tf.train.adam(0.01);
  const dense = (h: tf.Tensor2D, l: (typeof layers)[number], relu: boolean): tf.Tensor2D =>
    fusedDense(h, l.w as tf.Tensor2D, l.b as tf.Tensor1D, relu ? 'relu' : 'linear');
  const loss = () => {
    const h = dense(x, layers[0], true);
    const mu = dense(h, layers[1], false);
    const logvar = dense(h, layers[2], false);
    const kl = tf.mean(tf.sum(stdNormalKLPerDim(mu, logvar), 1));
    const z = reparameterize(mu, logvar, eps) as tf.Tensor2D;
    return tf.mean(softmaxCrossEntropyRows(dense(z, layers[3], false), y)).add(kl.mul(1e-3)) as tf.Scalar;
  };
  return {
    step: () => opt.minimize(loss),
    weights: () => layers.flatMap((l) => [...l.w.dataSync(), ...l.b.dataSync()]),
    dispose: () => {
      opt.dispose();
      tf.dispose([x, y, eps, ...layers.flatMap((l) => [l.w, l.b])]);
    },
  };
}

function train(backend: string, steps: number): number[] {
  tf.setBackend(backend);
  const t = makeTrainer();
  for (let i = 0; i < steps; i++) t.step();
  const w = t.weights();
  t.dispose();
  return w;
}

const tiers: ('pure' | 'native')[] = ['pure'];
let reference: number[] = [];

beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
  if ((await loadNativeBlas()).ok) tiers.push('native');
  reference = train('cpu', 25);
});
afterAll(() => {
  uninstallAcceleration();
  tf.setBackend('wasm');
});

describe.each(['pure', 'native'] as const)('training with the %s tier', (tier) => {
  it('reaches the same weights as stock tfjs on cpu after 25 Adam steps', async () => {
    if (!tiers.includes(tier)) return; // addon not built here
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const got = train('wasm', 25);
    // lr 0.01 × 25 steps moves weights by ≤ 0.25; float32 reordering differences stay ~1e-6 per step
    const maxDiff = Math.max(...got.map((g, i) => Math.abs(g - (reference[i] as number))));
    expect(maxDiff).toBeLessThan(1e-3);
    // the fused kernels ran, and a second run in the same tier is bitwise the same (what resuming relies on)
    const fused = report.overrides.filter((h) => /^Vib(?!Bernoulli|Ema|SoftplusLogVar|ClassificationScores)/.test(h.kernelName)); // those the model uses
    expect(fused.map((h) => h.kernelName)).toEqual(expect.arrayContaining(['VibDense', 'VibReluGrad']));
    expect(fused).toHaveLength(8);
    for (const h of fused) expect(h.handled, h.kernelName).toBeGreaterThan(0);
    expect(new Float32Array(train('wasm', 25))).toEqual(new Float32Array(got));
  });

  it('keeps a constant tensor count and flat memory over 200 steps', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const t = makeTrainer();
    for (let i = 0; i < 5; i++) t.step(); // creates Adam's moments and runs the self-checks
    const heap = () => wasmInternals(tf.backend())?.wasm.HEAPF32.length ?? NaN;
    const before = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, heap: heap() };
    const counts: number[] = [];
    for (let i = 0; i < 200; i++) {
      t.step();
      if (i % 50 === 49) counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual(counts.map(() => before.tensors));
    expect(tf.memory().numBytes).toBe(before.bytes);
    expect(heap()).toBe(before.heap); // the wasm heap did not grow
    t.dispose();
  });
});

// Where the webgpu VIB train step's time goes, on the GPU Dawn finds: the same step as bench/models.ts timed in
// parts (forward with the loss read; forward + backward with the gradients read; the whole step with the fused
// Adam update of src/plugins/webgpu/webgpu-adam.ts and with tfjs's own), and the
// kernels one step dispatches, by name, with their GPU time where the adapter has timestamp queries.
// Run: node --conditions=@vib/source --import tsx bench/gpu/split-step.ts [batch] (pack.sh bundles it as split-step.mjs).
import * as tf from '@tensorflow/tfjs';
import { createRegistry, randomNormalFast, reparameterize, softmaxCrossEntropyRows, stdNormalKLPerDim } from '@vib/core';
import { registerBackends } from '../../src/register.js';
import { selectBackend } from '../../src/selection/select-backend.js';
import { setWebGpuFusedAdam } from '../../src/plugins/webgpu/webgpu-adam.js';

const batch = Number(process.argv[2] ?? 100);
const registry = createRegistry();
registerBackends(registry);
console.log((await selectBackend(registry, { preferred: process.env['VIB_SPLIT_BACKEND'] ?? 'webgpu', strict: true })).reason);
const [d, h, k, c] = [784, 1024, 256, 10];
const dense = (i: number, o: number, seed: number): { w: tf.Variable; b: tf.Variable } => ({
  w: tf.variable(tf.randomNormal([i, o], 0, Math.sqrt(2 / i), 'float32', seed)),
  b: tf.variable(tf.zeros([o])),
});
const [l1, l2, lmu, llv, lout] = [dense(d, h, 1), dense(h, h, 2), dense(h, k, 3), dense(h, k, 4), dense(k, c, 5)];
const x = tf.randomUniform([batch, d], 0, 1, 'float32', 6) as tf.Tensor2D;
const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, c, 'int32', 7) as tf.Tensor1D, c).toFloat());
const apply = (a: tf.Tensor2D, l: { w: tf.Variable; b: tf.Variable }, relu: boolean): tf.Tensor2D =>
  tf.fused.matMul({ a, b: l.w as tf.Tensor2D, bias: l.b, activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D;
const loss = (): tf.Scalar => {
  const hid = apply(apply(x, l1, true), l2, true);
  const mu = apply(hid, lmu, false);
  const logvar = apply(hid, llv, false);
  const z = reparameterize(mu, logvar, randomNormalFast(mu.shape)) as tf.Tensor2D;
  const ce = tf.mean(softmaxCrossEntropyRows(apply(z, lout, false), y));
  return ce.add(tf.mean(tf.sum(stdNormalKLPerDim(mu, logvar), 1)).mul(1e-3)) as tf.Scalar;
};
const opt = tf.train.adam(1e-4);
const parts: Record<string, () => Promise<void>> = {
  'forward, loss read': async () => {
    const l = tf.tidy(loss);
    await l.data();
    l.dispose();
  },
  'forward + backward, gradients read': async () => {
    const { value, grads } = tf.variableGrads(loss);
    await Promise.all(Object.values(grads).map((g) => g.data()));
    tf.dispose([value, ...Object.values(grads)]);
  },
  'whole step (fused Adam), loss read': async () => {
    const l = opt.minimize(loss, true);
    await l?.data();
    l?.dispose();
  },
  "whole step (tfjs's own Adam), loss read": async () => {
    setWebGpuFusedAdam(false);
    const l = opt.minimize(loss, true);
    setWebGpuFusedAdam(true);
    await l?.data();
    l?.dispose();
  },
  'randomNormalFast [batch, 256], read': async () => {
    const e = randomNormalFast([batch, k]);
    await e.data();
    e.dispose();
  },
};
for (const [name, run] of Object.entries(parts)) {
  for (let i = 0; i < 3; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${name.padEnd(40)} median ${(ms[10] as number).toFixed(2)} ms [${(ms[0] as number).toFixed(2)}–${(ms[19] as number).toFixed(2)}]`);
}
const info = await tf.profile(async () => {
  const l = opt.minimize(loss, true);
  await l?.data();
  l?.dispose();
});
const byName = new Map<string, [number, number]>();
for (const kern of info.kernels) {
  const e = byName.get(kern.name) ?? [0, 0];
  const t = Number(await kern.kernelTimeMs);
  byName.set(kern.name, [e[0] + (Number.isFinite(t) ? t : 0), e[1] + 1]);
}
console.log(`kernels per step: ${info.kernels.length}; by GPU time (0 where the adapter gives none):`);
for (const [name, [ms, n]] of [...byName].sort((a, b) => b[1][0] - a[1][0] || b[1][1] - a[1][1]).slice(0, 25)) console.log(`  ${name.padEnd(28)} ${ms.toFixed(3).padStart(8)} ms  ×${n}`);

// Where the webgpu VIB train step's time goes, on the GPU Dawn finds: bench/models.ts's VIB step timed in
// parts (forward with the loss read; forward + backward with the gradients read; the whole step with the fused
// Adam update of src/plugins/webgpu/webgpu-adam.ts and with tfjs's own), and the
// kernels one step dispatches, by name, with their GPU time where the adapter has timestamp queries.
// Run: node --conditions=@vib/source --import tsx bench/gpu/split-step.ts [batch] (pack.sh bundles it as split-step.mjs).
import * as tf from '@tensorflow/tfjs';
import { createRegistry, randomNormalFast } from '@vib/core';
import { registerBackends } from '../../src/register.js';
import { selectBackend } from '../../src/selection/select-backend.js';
import { setWebGpuFusedAdam } from '../../src/plugins/webgpu/webgpu-adam.js';
import { withRange } from '../figures.js';
import { vibStep, type BenchStep } from '../models.js';
import { timeSteps } from '../torch-client.js';

const batch = Number(process.argv[2] ?? 100);
const registry = createRegistry();
registerBackends(registry);
console.log((await selectBackend(registry, { preferred: process.env['VIB_SPLIT_BACKEND'] ?? 'webgpu', strict: true })).reason);
const step = vibStep(batch);
const { loss, optimizer: opt } = step as Required<BenchStep>;
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
    const e = randomNormalFast([batch, 256]);
    await e.data();
    e.dispose();
  },
};
for (const [name, run] of Object.entries(parts)) {
  console.log(`${name.padEnd(40)} median ${withRange(await timeSteps(run, { min: 20, max: 20, budgetMs: 0 }, 3))} ms`);
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
step.dispose();

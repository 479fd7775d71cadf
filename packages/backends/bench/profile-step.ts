// Per-kernel time of one step: `node --conditions=@vib/source --import tsx bench/profile-step.ts <vib|vae|infer> <stock|pure|native>`.
// Env: VIB_PROFILE_THREADS (the tier's threads; default its own choice), VIB_PROFILE_SHAPES=1 (each matmul's shapes and time).
import * as tf from '@tensorflow/tfjs';
import { createRegistry } from '@vib/core';
import { registerBackends } from '../src/register.js';
import { selectBackend } from '../src/selection/select-backend.js';
import { vaeStep, vibStep } from './models.js';

const [model = 'vib', tier = 'native'] = process.argv.slice(2);
const registry = createRegistry();
registerBackends(registry);
console.log((await selectBackend(registry, { preferred: 'wasm', strict: true, tier: tier as 'native', ...(process.env['VIB_PROFILE_THREADS'] ? { threads: Number(process.env['VIB_PROFILE_THREADS']) } : {}) })).reason);
const step = model === 'vae' ? vaeStep() : vibStep(100, model !== 'infer');
step.run();
step.run();
const info = await tf.profile(() => step.run());
console.log(`kernels per step: ${info.kernels.length} (tfjs engine dispatches, nested ones included)`);
const total = new Map<string, [number, number]>();
for (const k of info.kernels) {
  const e = total.get(k.name) ?? [0, 0];
  total.set(k.name, [e[0] + Number(k.kernelTimeMs), e[1] + 1]);
}
for (const [name, [ms, n]] of [...total].sort((a, b) => b[1][0] - a[1][0]).slice(0, 12)) console.log(`${name.padEnd(28)} ${ms.toFixed(1).padStart(7)} ms  ×${n}`);
if (process.env["VIB_PROFILE_SHAPES"]) for (const k of info.kernels) if (new RegExp(process.env["VIB_PROFILE_SHAPES"] === "1" ? "MatMul" : process.env["VIB_PROFILE_SHAPES"]).test(k.name)) console.log(k.name, JSON.stringify(k.inputShapes), Number(k.kernelTimeMs).toFixed(2));
const t = performance.now();
for (let i = 0; i < 5; i++) step.run();
console.log(`unprofiled: ${((performance.now() - t) / 5).toFixed(1)} ms/step`);
step.dispose();

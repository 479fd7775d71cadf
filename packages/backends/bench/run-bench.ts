// `pnpm bench`: VIB train step, VAE train step and VIB inference on every backend/tier available here, and
// PyTorch (Debian python3-torch) in the same run, alternating rounds. Prints ms/step, samples/s, effective
// GFLOP/s, ratio to PyTorch and to the sgemm floor. Env: VIB_BENCH_ROUNDS (3), VIB_BENCH_THREADS (2).
import * as tf from '@tensorflow/tfjs';
import { createRegistry } from '@vib/core';
import { execSync } from 'node:child_process';
import { loadNativeBlas } from '../src/accel/load-native-blas.js';
import { registerBackends } from '../src/selection/register-backends.js';
import { selectBackend } from '../src/selection/select-backend.js';
import { sgemmFloorMs } from './floor.js';
import { VAE_LAYERS, VIB_LAYERS, vaeStep, vibStep, type BenchStep } from './models.js';
import { startTorch } from './torch-client.js';

const rounds = Number(process.env['VIB_BENCH_ROUNDS'] ?? 3);
const threads = Number(process.env['VIB_BENCH_THREADS'] ?? 2);
const batch = 100;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

type Model = 'vib' | 'vae' | 'infer';
const makers: Record<Model, () => BenchStep> = { vib: () => vibStep(batch), vae: () => vaeStep(batch), infer: () => vibStep(batch, false) };
const layers: Record<Model, readonly (readonly [number, number])[]> = { vib: VIB_LAYERS, vae: VAE_LAYERS, infer: VIB_LAYERS.filter((_, i) => i !== 3) };

const registry = createRegistry();
registerBackends(registry);
const native = await loadNativeBlas(threads);
const configs: { label: string; backend: string; tier: 'stock' | 'pure' | 'native' }[] = [
  { label: 'tfjs cpu (stock)', backend: 'cpu', tier: 'stock' },
  { label: 'tfjs wasm (stock)', backend: 'wasm', tier: 'stock' },
  { label: 'tfjs wasm + pure tier', backend: 'wasm', tier: 'pure' },
  ...(native.ok ? [{ label: 'tfjs wasm + native tier', backend: 'wasm', tier: 'native' as const }] : []),
];
const torch = await startTorch(threads);

/** Time one config: warm-up, then steps until ~1 s has passed (at least 2, at most 20). */
async function timeConfig(model: Model, c: (typeof configs)[number]): Promise<number[]> {
  await selectBackend(registry, { preferred: c.backend, strict: true, tier: c.tier, threads });
  const step = makers[model]();
  try {
    step.run();
    const ms: number[] = [];
    const start = performance.now();
    while (ms.length < 2 || (ms.length < 20 && performance.now() - start < 1000)) {
      const t = performance.now();
      step.run();
      ms.push(performance.now() - t);
    }
    return ms;
  } finally {
    step.dispose();
  }
}

const cpuModel = execSync("lscpu | grep 'Model name' || true").toString().replace(/Model name:\s*/, '').trim();
console.log(`# vib bench — ${new Date().toISOString().slice(0, 10)} — ${cpuModel}, ${threads} threads, batch ${batch}, ${rounds} alternating rounds`);
console.log(`native tier: ${native.ok ? native.note : native.reason}`);
console.log(`PyTorch: ${typeof torch === 'string' ? torch : `${torch.version}, ${torch.threads} threads, OMP_WAIT_POLICY=PASSIVE`}\n`);

for (const model of ['vib', 'vae', 'infer'] as const) {
  const probe = makers[model]();
  const { flops, label } = probe;
  probe.dispose();
  const samples = new Map<string, number[]>();
  const push = (k: string, v: number): void => void samples.set(k, [...(samples.get(k) ?? []), v]);
  for (let r = 0; r < rounds; r++) {
    for (const c of configs) push(c.label, median(await timeConfig(model, c)));
    if (typeof torch !== 'string') push('PyTorch', median(await torch.run(model, 10)));
    if (native.ok) push('sgemm floor', sgemmFloorMs(native.blas, layers[model], batch, model !== 'infer'));
  }
  const torchMs = median(samples.get('PyTorch') ?? [NaN]);
  const floorMs = median(samples.get('sgemm floor') ?? [NaN]);
  const stockWasm = median(samples.get('tfjs wasm (stock)') ?? [NaN]);
  console.log(`## ${label} (batch ${batch}, ${(flops / 1e9).toFixed(3)} GFLOP of matmul)\n`);
  console.log('| run | ms/step | samples/s | GFLOP/s | × PyTorch throughput | floor / time | × stock wasm |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, xs] of samples) {
    const ms = median(xs);
    const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
    console.log(`| ${name} | ${f(ms, 1)} | ${f((batch / ms) * 1e3, 0)} | ${f(flops / ms / 1e6, 1)} | ${f(torchMs / ms)} | ${f(floorMs / ms)} | ${f(stockWasm / ms, 1)} |`);
  }
  console.log(`\nper-round medians (ms): ${[...samples].map(([k, v]) => `${k}: ${v.map((x) => x.toFixed(1)).join('/')}`).join('; ')}\n`);
}
if (typeof torch !== 'string') torch.close();
console.log(`tensors alive at the end: ${tf.memory().numTensors}`);

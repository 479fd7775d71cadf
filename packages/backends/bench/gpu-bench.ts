// `pnpm --filter @vib/backends bench:gpu`: the webgpu backend (Dawn in Node) on this machine's GPU, against PyTorch
// on CUDA and on the CPU, measured side by side in alternating rounds. It prints:
// - the adapter Dawn found and a correctness check: the VIB step's ops on webgpu against the cpu backend;
// - per batch size (VIB_BENCH_BATCHES, default 100,1000): ms/step of the VIB train step, the VAE train step and the
//   VIB inference, with ratios to PyTorch CUDA taken per round (each step ends in a read of its result on both sides);
//   the train steps also with tfjs's own Adam update beside the fused one (src/plugins/webgpu/webgpu-adam.ts);
// - one Fashion-MNIST epoch of the alemi recipe through the vib CLI (`--backend webgpu`) against the same epoch in
//   PyTorch CUDA (bench/torch_epoch.py), VIB_BENCH_EPOCH_ROUNDS times each (2; 0 skips it).
// Env: VIB_BENCH_ROUNDS (5), VIB_BENCH_THREADS (PyTorch CPU threads: all cores), VIB_BENCH_PYTHON (/usr/bin/python3),
// VIB_BENCH_FASHION_MNIST (the IDX folder), VIB_BENCH_CLI (a bundled CLI; bench/gpu/ makes one for a machine without
// node_modules). On SwiftShader (VIB_WEBGPU_SWIFTSHADER=1) every figure is a correctness run, not a speed figure.
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import { createRegistry, reparameterize, softmaxCrossEntropyRows, stdNormalKLPerDim } from '@vib/core';
import { registerBackends } from '../src/register.js';
import { selectBackend } from '../src/selection/select-backend.js';
import { setWebGpuFusedAdam } from '../src/plugins/webgpu/webgpu-adam.js';
import { webgpuBackend } from '../src/plugins/webgpu/webgpu-backend.js';
import { fashionMnistDir, testImagesFile, torchEpoch, vibEpoch, type EpochRun } from './epoch.js';
import { vaeStep, vibStep, type BenchStep } from './models.js';
import { f, median, withRange } from './figures.js';
import { hostCpu } from './host-cpu.js';
import { startTorch, timeSteps, TORCH_MALLOC_ENV, type StepTiming, type TorchClient } from './torch-client.js';

const rounds = Number(process.env['VIB_BENCH_ROUNDS'] ?? 5);
const epochRounds = Number(process.env['VIB_BENCH_EPOCH_ROUNDS'] ?? 2);
const cpuThreads = Number(process.env['VIB_BENCH_THREADS'] ?? availableParallelism());
const batches = (process.env['VIB_BENCH_BATCHES'] ?? '100,1000').split(',').map(Number);
const timing: StepTiming = { min: 3, max: 300, budgetMs: 1000 };
/** Per-round ratio ref[i]/xs[i]: above 1, `xs` is the faster. */
const ratio = (ref: number[] | undefined, xs: number[]): string =>
  ref && ref.length === xs.length ? withRange(xs.map((x, i) => (ref[i] as number) / x)) : 'n/a';

const registry = createRegistry();
registerBackends(registry);
const gpu = await webgpuBackend.isAvailable({ requested: true });
const software = gpu.adapter?.software === true;
console.log(`# vib GPU bench — ${new Date().toISOString().slice(0, 10)} — ${hostCpu()}, ${rounds} alternating rounds`);
console.log(`webgpu: ${gpu.reason}${software ? ' — SwiftShader: every webgpu figure below is a correctness run, not a speed figure' : ''}`);
if (!gpu.available) {
  console.log('no webgpu rows: see the reason above');
  process.exit(0);
}

/** The VIB step's ops (fused dense + ReLU, heads, reparameterization, softmax CE, KL) on the current backend, on fixed inputs. */
async function vibOps(): Promise<Float32Array[]> {
  const [b, d, h, k, c] = [37, 129, 67, 13, 10]; // odd sizes: no tile divides them
  const outs = tf.tidy(() => {
    const x = tf.randomUniform([b, d], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w1 = tf.randomNormal([d, h], 0, 0.1, 'float32', 2) as tf.Tensor2D;
    const wmu = tf.randomNormal([h, k], 0, 0.3, 'float32', 3) as tf.Tensor2D;
    const wlv = tf.randomNormal([h, k], 0, 0.3, 'float32', 4) as tf.Tensor2D;
    const wout = tf.randomNormal([k, c], 0, 0.3, 'float32', 5) as tf.Tensor2D;
    const eps = tf.randomNormal([b, k], 0, 1, 'float32', 6);
    const y = tf.oneHot(tf.randomUniform([b], 0, c, 'int32', 7) as tf.Tensor1D, c).toFloat();
    const hid = tf.fused.matMul({ a: x, b: w1, bias: tf.fill([h], 0.01), activation: 'relu' });
    const mu = tf.matMul(hid, wmu);
    const lv = tf.matMul(hid, wlv);
    const z = reparameterize(mu, lv, eps) as tf.Tensor2D;
    const ce = softmaxCrossEntropyRows(tf.matMul(z, wout), y);
    const kl = stdNormalKLPerDim(mu, lv);
    return [hid, z, ce, kl];
  });
  const values = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array)); // webgpu in Node reads asynchronously only
  tf.dispose(outs);
  return values;
}
await selectBackend(registry, { preferred: 'cpu', strict: true });
const onCpu = await vibOps();
await selectBackend(registry, { preferred: 'webgpu', strict: true });
const onGpu = await vibOps();
const names = ['hidden (fused matmul + ReLU)', 'z (reparameterized)', 'softmax CE rows', 'KL per dimension'];
console.log(`\ncorrectness, webgpu against the cpu backend on a 37×129 batch: ${names.map((n, i) => {
  const a = onCpu[i] as Float32Array;
  const g = onGpu[i] as Float32Array;
  let worst = 0;
  for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs((a[j] as number) - (g[j] as number)) / Math.max(1, Math.abs(a[j] as number)));
  return `${n} ${worst.toExponential(1)}`;
}).join(', ')} (max relative difference)\n`);

type Model = 'vib' | 'vae' | 'infer';
const makers: Record<Model, (batch: number) => BenchStep> = { vib: (n) => vibStep(n), vae: (n) => vaeStep(n), infer: (n) => vibStep(n, false) };

/**
 * Time one webgpu step with {@link timing}: three warm-ups (shader compilation), then timed steps, each awaiting its
 * read; `fusedAdam` false: with tfjs's own Adam update instead of @vib/backends' fused one.
 */
async function timeWebgpu(model: Model, batch: number, fusedAdam = true): Promise<number[]> {
  setWebGpuFusedAdam(fusedAdam);
  const step = makers[model](batch);
  try {
    return await timeSteps(() => step.runAsync(), timing, 3);
  } finally {
    step.dispose();
    setWebGpuFusedAdam(true);
  }
}

const fashion = fashionMnistDir();
const imagesEnv = typeof fashion === 'string' ? { VIB_BENCH_IMAGES: testImagesFile(fashion) } : {};
for (const batch of batches) {
  const sides: [string, TorchClient | string][] = [
    ['PyTorch CUDA', await startTorch(1, { ...TORCH_MALLOC_ENV, ...imagesEnv, VIB_BENCH_TORCH_DEVICE: 'cuda', VIB_BENCH_BATCH: String(batch) })],
    [`PyTorch CPU, ${cpuThreads} threads`, await startTorch(cpuThreads, { ...TORCH_MALLOC_ENV, ...imagesEnv, VIB_BENCH_BATCH: String(batch) })],
  ];
  for (const [name, t] of sides) if (typeof t === 'string') console.log(`${name}: not run: ${t}`);
  const ready = sides.filter((s): s is [string, TorchClient] => typeof s[1] !== 'string');
  for (const model of ['vib', 'vae', 'infer'] as const) {
    const samples = new Map<string, number[]>();
    const push = (k: string, v: number): void => void samples.set(k, [...(samples.get(k) ?? []), v]);
    const probe = makers[model](batch);
    const label = probe.label;
    probe.dispose();
    for (let r = 0; r < (software ? 1 : rounds); r++) {
      const timers = [
        async () => push('tfjs webgpu', median(await timeWebgpu(model, batch))),
        ...(model === 'infer' ? [] : [async () => push("tfjs webgpu, tfjs's own Adam", median(await timeWebgpu(model, batch, false)))]),
        ...ready.map(([name, t]) => async () => push(name, median(await t.run(model, timing)))),
      ];
      for (const t of r % 2 === 0 ? timers : timers.reverse()) await t();
    }
    console.log(`## ${label}, batch ${batch}\n`);
    console.log('| run | ms/step [range over rounds] | samples/s | × PyTorch CUDA throughput [range] |');
    console.log('|---|---:|---:|---:|');
    for (const [name, xs] of samples) console.log(`| ${name} | ${withRange(xs, 2)} | ${f((batch / median(xs)) * 1e3, 0)} | ${ratio(samples.get('PyTorch CUDA'), xs)} |`);
    console.log('');
  }
  for (const [, t] of ready) t.close();
}
await epochRow();
console.log(`tensors alive at the end: ${tf.memory().numTensors}`);

/** One Fashion-MNIST epoch of the alemi recipe: `vib train --backend webgpu` against PyTorch CUDA, alternating. */
async function epochRow(): Promise<void> {
  if (epochRounds <= 0) return;
  if (typeof fashion !== 'string') return console.log(`epoch row skipped: ${fashion.reason}`);
  const runs: { vib: EpochRun[]; torch: EpochRun[] } = { vib: [], torch: [] };
  const failures: string[] = [];
  const attempt = async (who: 'vib' | 'torch'): Promise<void> => {
    try {
      runs[who].push(who === 'vib' ? await vibEpoch(fashion, 'webgpu') : await torchEpoch(fashion, 1, { ...TORCH_MALLOC_ENV, VIB_BENCH_TORCH_DEVICE: 'cuda' }));
    } catch (e) {
      failures.push(`${who}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  for (let r = 0; r < (software ? 1 : epochRounds); r++) for (const who of r % 2 === 0 ? (['vib', 'torch'] as const) : (['torch', 'vib'] as const)) await attempt(who);
  console.log('## One Fashion-MNIST epoch, alemi recipe (60,000 training images, batch 100, EMA; then the 12-sample evaluation on 10,000)\n');
  console.log('| run | seconds (train + eval) [range] | × PyTorch CUDA [range] | process wall s | peak RSS MiB | test accuracy (mean code) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const torchSec = runs.torch.map((x) => x.seconds);
  for (const [name, xs] of [['vib train --backend webgpu', runs.vib], ['PyTorch CUDA', runs.torch]] as const) {
    if (xs.length === 0) continue;
    const sec = xs.map((x) => x.seconds);
    console.log(`| ${name} | ${withRange(sec, 2)} | ${ratio(torchSec, sec)} | ${f(median(xs.map((x) => x.wallSeconds)), 1)} | ${f(median(xs.map((x) => x.peakMiB)), 0)} | ${xs.map((x) => f(x.accuracy, 4)).join(' / ')} |`);
  }
  for (const fail of failures) console.log(`failed: ${fail}`);
  console.log('');
}

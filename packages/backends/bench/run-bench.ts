// `pnpm bench`: VIB train step, VAE train step, VIB inference and a small CNN's train step on every backend/tier
// available here (the CNN's on those that can train a convolution), and
// PyTorch (Debian python3-torch) in the same run, alternating rounds; then one Fashion-MNIST epoch of the alemi
// recipe through the vib CLI against the same epoch in PyTorch. Prints ms/step, samples/s, effective GFLOP/s,
// ratio to PyTorch (median of per-round ratios) and to the sgemm floor, each with the range over rounds, and the
// pure tier's ceiling (the matmul FLOPs at wasm SIMD's measured peak rate, bench/wasm-peak.ts). Each round starts
// with a check of the host (that peak on one thread and on all at once), reported before the goals: where the threads
// do not add up, other tenants had the machine's cores during that round. The one-thread stock configs run with the
// process held on one CPU (bench/one-cpu.ts).
// Env: VIB_BENCH_ROUNDS (9), VIB_BENCH_THREADS (2), VIB_BENCH_CPU=1 (add the slow tfjs cpu backend),
// VIB_BENCH_EPOCH_ROUNDS (5; 0 skips the epoch row), VIB_BENCH_BROWSER=0 (skip the Chromium row; it runs when
// Debian's chromium is installed, or $CHROMIUM names one), VIB_BENCH_TORCH_DEFAULT_MALLOC=0 (skip the rows of PyTorch
// with glibc's malloc defaults; the reference PyTorch keeps freed memory, see TORCH_MALLOC_ENV).
// A webgpu row when Dawn finds an adapter (VIB_WEBGPU_SWIFTSHADER=1: SwiftShader, a correctness run, not a speed figure).
import * as tf from '@tensorflow/tfjs';
import { createRegistry } from '@vib/core';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadNativeBlas } from '../src/accel/load-native-blas.js';
import { GEMM_KERNEL_LABELS, OWN_GEMM_KERNELS, type GemmKernelName, type NativeBlas } from '../src/accel/native-blas-module.js';
import { registerBackends } from '../src/register.js';
import { selectBackend } from '../src/selection/select-backend.js';
import { withGemmKernel } from '../src/testing/native-settings.js';
import { epochCli, epochPeakParts, fashionMnistDir, testImages, testImagesFile, torchEpoch, vibEpoch, type EpochRun } from './epoch.js';
import { describeAdapter } from '../src/plugins/webgpu/adapter-summary.js';
import { webgpuBackend } from '../src/plugins/webgpu/webgpu-backend.js';
import { sgemmFloorMs } from './floor.js';
import { oneCpu } from './one-cpu.js';
import { PEAK_MADD, WasmPeak } from './wasm-peak.js';
import { VAE_LAYERS, VIB_LAYERS, cnnStep, vaeStep, vibStep, type BenchStep } from './models.js';
import { f, median, withRange } from './figures.js';
import { hostCpu } from './host-cpu.js';
import { startTorch, timeSteps, TORCH_DEFAULT_MALLOC_ENV, TORCH_MALLOC_ENV, type StepTiming } from './torch-client.js';

const rounds = Number(process.env['VIB_BENCH_ROUNDS'] ?? 9);
const epochRounds = Number(process.env['VIB_BENCH_EPOCH_ROUNDS'] ?? 5);
const threads = Number(process.env['VIB_BENCH_THREADS'] ?? 2);
const batch = 100;
/**
 * Per-round ratio ref/xs (same round, side by side): median and range; n/a without a reference. Ratios under 10 keep
 * two decimals whatever `d` asks (a goal of 3× is not judged from "3.0", which 2.95 rounds to).
 */
const ratio = (ref: number[] | undefined, xs: number[], d = 2): string => {
  if (!ref || ref.length !== xs.length) return 'n/a';
  const r = xs.map((x, i) => (ref[i] as number) / x);
  return withRange(r, median(r) < 10 ? Math.max(d, 2) : d);
};

// The inference twice: on inputs uniform in [0, 1) (the issue's figure), and on real images, whose background pixels
// are zeros that the pure tier's sparse GEMM skips in the first layer too (about half of Fashion-MNIST's pixels)
const fashion = fashionMnistDir();
const images = typeof fashion === 'string' ? await testImages(fashion, batch) : undefined;
// and once more on a single input (batch 1), as an app classifying one drawing or a server answering one request runs it;
// then a user's own convolutional model (stock wasm cannot train it: tfjs-wasm 4.22 has no filter gradient)
type Model = 'vib' | 'vae' | 'infer' | 'infer-one' | 'infer-images' | 'cnn';
const makers: Record<Model, () => BenchStep> = {
  vib: () => vibStep(batch),
  vae: () => vaeStep(batch),
  infer: () => vibStep(batch, false),
  'infer-one': () => vibStep(1, false),
  'infer-images': () => vibStep(batch, false, images),
  cnn: () => cnnStep(batch),
};
// every step, in the bench's order; the one on real images where there are some
const allModels = (Object.keys(makers) as Model[]).filter((m) => m !== 'infer-images' || images !== undefined);
/** The steps to time: all of them, or those that VIB_BENCH_STEPS names (comma-separated), in the bench's order. */
const models: readonly Model[] = ((): readonly Model[] => {
  const asked = process.env['VIB_BENCH_STEPS'];
  if (asked === undefined || asked.trim() === '') return allModels;
  const names = asked.split(',').map((x) => x.trim());
  const known: readonly string[] = Object.keys(makers);
  const unknown = names.filter((x) => !known.includes(x));
  if (unknown.length > 0) {
    console.error(`VIB_BENCH_STEPS: unknown step ${unknown.map((x) => JSON.stringify(x)).join(', ')}: name some of ${known.join(', ')}, comma-separated`);
    process.exit(2);
  }
  if (names.includes('infer-images') && !images) console.error('VIB_BENCH_STEPS: infer-images skipped: no Fashion-MNIST test images here');
  return allModels.filter((m) => names.includes(m));
})();
const inferLayers = VIB_LAYERS.filter((_, i) => i !== 3);
// the dense layers whose products make the sgemm floor (none for the CNN: its products are the convolutions')
const layers: Record<Model, readonly (readonly [number, number])[]> = { vib: VIB_LAYERS, vae: VAE_LAYERS, infer: inferLayers, 'infer-one': inferLayers, 'infer-images': inferLayers, cnn: [] };
const training = (model: Model): boolean => model === 'vib' || model === 'vae' || model === 'cnn';
/** Whether a config can run a model's step: stock wasm has no kernel for a convolution's filter gradient. */
const runsOn = (model: Model, c: { backend: string; tier: string }): boolean => model !== 'cnn' || c.backend !== 'wasm' || c.tier !== 'stock';

/**
 * Issue 16's goals, each a ratio of two rows measured side by side (per round), filled in as the rows are timed and
 * printed at the end with the rounds that reached the goal, so that a median near its goal reads as such.
 */
const goals: { readonly figure: string; readonly goal: number; ratios?: number[]; quiet?: boolean[] }[] = [
  ['native VIB step × PyTorch', 1.5], ['native VAE step × PyTorch', 1], ['native VIB inference × PyTorch', 1],
  ['pure VIB step × PyTorch', 0.5], ['pure VIB inference × stock wasm, uniform inputs', 3],
  ['Chromium: pure VIB step × stock wasm', 20], ['Fashion-MNIST epoch × PyTorch', 1],
  // the issue's title: every step at least PyTorch's speed, a user's own convolutional model included
  ['native CNN step × PyTorch', 1],
].map(([figure, goal]) => ({ figure: figure as string, goal: goal as number }));
/** The epoch's peak resident memory, vib's and PyTorch's (medians over rounds, MiB): reported beside the goals. */
let epochPeakMiB: readonly [number, number] | undefined;
/**
 * The uniform-input inference's pure-tier ceiling against stock wasm, per round (stock's time ÷ the ceiling's):
 * printed under the goals, as the most that dense products at wasm SIMD's peak can give there.
 */
let inferCeiling: number[] | undefined;
/**
 * Note a goal's per-round ratios ref[i]/xs[i] (left unmeasured where either row is missing), and, where the rounds had
 * a check of the host, which of them were quiet (its threads added up: see {@link CONTENDED}).
 */
const noteGoal = (figure: string, ref: number[] | undefined, xs: number[] | undefined, quiet?: boolean[]): void => {
  const g = goals.find((x) => x.figure === figure);
  if (!g) throw new Error(`bench: no goal named "${figure}"`);
  if (ref && xs && ref.length === xs.length) {
    g.ratios = xs.map((x, i) => (ref[i] as number) / x);
    if (quiet?.length === xs.length) g.quiet = quiet;
  }
};
/** The goals of a model's step rows. */
const stepGoals: Partial<Record<Model, readonly (readonly [figure: string, row: string, reference: string])[]>> = {
  vib: [['native VIB step × PyTorch', 'tfjs wasm + native tier', 'PyTorch'], ['pure VIB step × PyTorch', 'tfjs wasm + pure tier', 'PyTorch']],
  vae: [['native VAE step × PyTorch', 'tfjs wasm + native tier', 'PyTorch']],
  infer: [['native VIB inference × PyTorch', 'tfjs wasm + native tier', 'PyTorch'], ['pure VIB inference × stock wasm, uniform inputs', 'tfjs wasm + pure tier', 'tfjs wasm (stock)']],
  cnn: [['native CNN step × PyTorch', 'tfjs wasm + native tier', 'PyTorch']],
};

const registry = createRegistry();
registerBackends(registry);
const native = await loadNativeBlas(threads);
const gpu = await webgpuBackend.isAvailable({ requested: true });
const gpuLabel = gpu.adapter?.software ? 'tfjs webgpu (SwiftShader: correctness run, not a speed figure)' : 'tfjs webgpu';
/**
 * The products' other kernel, timed beside the default: OpenBLAS where the addon's own kernel is the default
 * (AVX-512 hosts), the own kernel where the addon has one that is not the default (its AVX2 kernel on AVX2 hosts,
 * which multiply with OpenBLAS), so that one run on such a host says which of the two is faster there.
 */
const sideGemm: GemmKernelName | undefined = native.ok ? sideGemmKernel(native.blas) : undefined;
const sideLabel = (kernel: GemmKernelName): string => (kernel === 'openblas' ? 'OpenBLAS' : `own ${GEMM_KERNEL_LABELS[kernel]}`);
const kernelText = (kernel: GemmKernelName): string => (kernel === 'openblas' ? 'OpenBLAS' : `the addon's own ${GEMM_KERNEL_LABELS[kernel]} kernel`);
const configs: { label: string; backend: string; tier: 'stock' | 'pure' | 'native'; gemm?: GemmKernelName }[] = [
  ...(process.env['VIB_BENCH_CPU'] === '1' ? [{ label: 'tfjs cpu (stock)', backend: 'cpu', tier: 'stock' as const }] : []),
  { label: 'tfjs wasm (stock)', backend: 'wasm', tier: 'stock' },
  { label: 'tfjs wasm + pure tier', backend: 'wasm', tier: 'pure' },
  ...(native.ok ? [{ label: 'tfjs wasm + native tier', backend: 'wasm', tier: 'native' as const }] : []),
  // the same tier with the products' other kernel beside it
  ...(sideGemm ? [{ label: `tfjs wasm + native tier, ${sideLabel(sideGemm)} products`, backend: 'wasm', tier: 'native' as const, gemm: sideGemm }] : []),
  ...(gpu.available ? [{ label: gpuLabel, backend: 'webgpu', tier: 'stock' as const }] : []),
];
// The reference: PyTorch with malloc set to keep freed memory (its fastest and steadiest setting here). Beside it,
// for information, PyTorch as installed, whose steps page-fault their temporaries in (2–3× slower on some hosts).
const imagesEnv = typeof fashion === 'string' ? { VIB_BENCH_IMAGES: testImagesFile(fashion) } : {};
const torch = await startTorch(threads, { ...TORCH_MALLOC_ENV, ...imagesEnv });
const withDefaults = process.env['VIB_BENCH_TORCH_DEFAULT_MALLOC'] !== '0';
const torchDefault = withDefaults ? await startTorch(threads, { ...TORCH_DEFAULT_MALLOC_ENV, ...imagesEnv }) : 'skipped';
const torchDefaultLabel = 'PyTorch, glibc malloc defaults';
// The pure tier's ceiling: the step's matmul FLOPs at wasm SIMD's peak float32 rate on this machine, every thread
// at once (bench/wasm-peak.ts); no dense f32x4 GEMM gets below it.
const wasmPeak = new WasmPeak(threads);
/**
 * The host's state, checked at the start of every round: the wasm SIMD peak on one thread, then on all at once. Where
 * the threads together fall well short of `threads` times one thread's rate, other tenants had this machine's cores.
 */
const hostChecks: { one: number; all: number }[] = [];
/** Fraction of `threads` × one thread's peak rate that all threads reached together, under which a round was contended. */
const CONTENDED = 0.9;
/** How long the uncounted warm-up round runs each config's step (see `warmUp`). */
const WARM_UP_MS = 3000;
/** How well a round's threads added up: their rate together ÷ (threads × one thread's rate). */
const scalingOf = (h: { one: number; all: number }): number => h.all / (threads * h.one);
const loadAtStart = loadavg();
const ceilingLabel = `pure-tier ceiling: matmul FLOPs at the f32x4 ${PEAK_MADD ? 'relaxed_madd' : 'multiply-add'} peak, ${threads} threads`;

/**
 * How every config and PyTorch are timed in a round: two warm-up steps (self-checks, packing, JIT, caches warmed
 * after the other side ran), then steps until ~1 s has passed, at least 3 and at most 200 (a 3 ms inference step
 * gets ~300 ms of samples rather than 60: its median was the noisiest figure with a cap of 20).
 */
const timing: StepTiming = { min: 3, max: 200, budgetMs: 1000 };
/**
 * The timing of a model's step: the single-input inference (~0.1–0.3 ms) may take up to 2,000 steps in its second,
 * since a fresh model's first few hundred inferences ran slower (in one process, the pure tier's medians of 1,000
 * successive ones: 0.19, 0.18, 0.17, 0.16, 0.16 ms), and 200 timed mostly that start: the pure tier read 0.80–0.86×
 * stock wasm where it ran 1.4× once settled.
 */
const timingOf = (model: Model): StepTiming => (model === 'infer-one' ? { ...timing, max: 2000 } : timing);

/** Time one config with {@link timingOf} its model (or the warm-up round's longer timing). */
async function timeConfig(model: Model, c: (typeof configs)[number], t: StepTiming = timingOf(model)): Promise<number[]> {
  await selectBackend(registry, { preferred: c.backend, strict: true, tier: c.tier, threads });
  const kernel = native.ok ? native.blas.gemmKernel?.() : undefined;
  if (c.gemm && native.ok) native.blas.setGemmKernel?.(c.gemm);
  const step = makers[model]();
  const run = c.backend === 'webgpu' ? () => step.runAsync() : async () => step.run();
  try {
    // the one-thread stock configs on one CPU (see bench/one-cpu.ts); the tiers' threads and PyTorch's are left as they run
    return await (c.tier === 'stock' && c.backend !== 'webgpu' ? held.hold(() => timeSteps(run, t, 2)) : timeSteps(run, t, 2));
  } finally {
    step.dispose();
    if (kernel && native.ok) native.blas.setGemmKernel?.(kernel);
  }
}

/** How the one-thread stock configs are held on one CPU while timed. */
const held = oneCpu();

console.log(`# vib bench — ${new Date().toISOString().slice(0, 10)} — ${hostCpu()}, ${threads} threads, batch ${batch}, ${rounds} alternating rounds`);
console.log(`native tier: ${native.ok ? `${native.note}; products: ${kernelText(native.blas.gemmKernel?.() ?? 'openblas')}${sideGemm ? ` (${kernelText(sideGemm)} beside it)` : ''}` : native.reason}`);
console.log(`stock tfjs (one thread): ${held.note}`);
console.log(`webgpu: ${gpu.adapter ? describeAdapter(gpu.adapter) : gpu.reason}`);
console.log(`PyTorch: ${typeof torch === 'string' ? torch : `${torch.version} (CPU kernels: ${torch.cpuKernels}), ${torch.threads} threads, OMP_WAIT_POLICY=PASSIVE, ${Object.entries(TORCH_MALLOC_ENV).map(([k, v]) => `${k}=${v}`).join(' ')} (the reference of every ratio; "${torchDefaultLabel}" is PyTorch without them)`}${process.env['OPENBLAS_CORETYPE'] ? `, OPENBLAS_CORETYPE=${process.env['OPENBLAS_CORETYPE']}, the same for vib's OpenBLAS products and PyTorch` : ''}\n`);

if (typeof fashion !== 'string') console.log(`inference on Fashion-MNIST images skipped: ${fashion.reason}\n`);
await warmUp();
for (const model of models) {
  const probe = makers[model]();
  const { flops, label, batch: examples } = probe;
  probe.dispose();
  const samples = new Map<string, number[]>();
  const push = (k: string, v: number): void => void samples.set(k, [...(samples.get(k) ?? []), v]);
  /** Per round: whether its check of the host found the threads adding up (not contended). */
  const quiet: boolean[] = [];
  for (let r = 0; r < rounds; r++) {
    const check = { one: await wasmPeak.gflops(1), all: await wasmPeak.gflops() };
    hostChecks.push(check);
    quiet.push(scalingOf(check) >= CONTENDED);
    // Each round times every config, PyTorch and the floors once; odd rounds in the reverse order, so that a
    // slow drift of the machine's speed favours no side of a ratio.
    const timers: (() => Promise<void>)[] = [
      // SwiftShader takes tens of seconds per step: one round of it is enough to show the step runs
      ...configs.filter((c) => runsOn(model, c) && (r === 0 || c.label !== gpuLabel || !gpu.adapter?.software)).map((c) => async () => push(c.label, median(await timeConfig(model, c)))),
      ...(typeof torch !== 'string' ? [async () => push('PyTorch', median(await torch.run(model, timingOf(model))))] : []),
      ...(typeof torchDefault !== 'string' ? [async () => push(torchDefaultLabel, median(await torchDefault.run(model, timingOf(model))))] : []),
      async () => push(ceilingLabel, flops / (await wasmPeak.gflops()) / 1e6),
      ...(native.ok && layers[model].length > 0 ? [async () => {
        push('sgemm floor', sgemmFloorMs(native.blas, layers[model], examples, training(model)));
        push('sgemm floor, cold weights', sgemmFloorMs(native.blas, layers[model], examples, training(model), true));
        if (sideGemm) push(`sgemm floor, ${sideLabel(sideGemm)}`, withGemmKernel(native.blas, sideGemm, () => sgemmFloorMs(native.blas, layers[model], examples, training(model))));
      }] : []),
    ];
    for (const t of r % 2 === 0 ? timers : timers.reverse()) await t();
  }
  console.log(`## ${label} (batch ${examples}, ${(flops / 1e9).toFixed(3)} GFLOP of matmul)\n`);
  console.log('| run | ms/step [range] | samples/s | GFLOP/s | × PyTorch throughput [range] | floor / time | × stock wasm [range] |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, xs] of samples) {
    const ms = median(xs);
    console.log(`| ${name} | ${withRange(xs, ms < 1 ? 3 : 1)} | ${f((examples / ms) * 1e3, 0)} | ${f(flops / ms / 1e6, 1)} | ${ratio(samples.get('PyTorch'), xs)} | ${ratio(samples.get('sgemm floor'), xs)} | ${ratio(samples.get('tfjs wasm (stock)'), xs, 1)} |`);
  }
  for (const [figure, row, ref] of stepGoals[model] ?? []) noteGoal(figure, samples.get(ref), samples.get(row), quiet);
  const [stock, ceiling] = [samples.get('tfjs wasm (stock)'), samples.get(ceilingLabel)];
  if (model === 'infer' && stock && ceiling && stock.length === ceiling.length) inferCeiling = stock.map((x, i) => x / (ceiling[i] as number));
  console.log(`\nper-round medians (ms): ${[...samples].map(([k, v]) => `${k}: ${v.map((x) => x.toFixed(x < 1 ? 3 : 1)).join('/')}`).join('; ')}\n`);
}
for (const t of [torch, torchDefault]) if (typeof t !== 'string') t.close();
await wasmPeak.close();
await epochRow();
await browserRow();
hostTable();
goalTable();
console.log(`tensors alive at the end: ${tf.memory().numTensors}`);

/**
 * One uncounted round before the timed ones: every tfjs config but webgpu on SwiftShader, and both PyTorch
 * processes, run the first model's step for about {@link WARM_UP_MS}. A fresh Node process runs vib's step slower
 * for its first ~200 steps while V8's optimizing compiler takes tfjs's engine and the tiers' JavaScript in (on a
 * 2-core Zen 3 the native VIB step went from 14 ms in its first 40 steps to 11.5 ms after 200; with `--no-opt` it
 * stayed at 13); without this round the first model's first two rounds measured that start instead of the steady
 * pace that a training run has. Its medians are printed, not counted.
 */
async function warmUp(): Promise<void> {
  const model = models[0];
  if (!model) return;
  const warm: StepTiming = { min: 3, max: 1000, budgetMs: WARM_UP_MS };
  const figures: string[] = [];
  for (const c of configs.filter((x) => runsOn(model, x) && (x.label !== gpuLabel || !gpu.adapter?.software))) {
    figures.push(`${c.label} ${median(await timeConfig(model, c, warm)).toFixed(1)} ms`);
  }
  for (const [t, name] of [[torch, 'PyTorch'], [torchDefault, torchDefaultLabel]] as const) {
    if (typeof t !== 'string') figures.push(`${name} ${median(await t.run(model, warm)).toFixed(1)} ms`);
  }
  console.log(`warm-up round, not counted (${model} step, about ${WARM_UP_MS / 1000} s each): ${figures.join('; ')}\n`);
}

/**
 * The host during the step rounds: the peak rates of every round's check, how well the threads added up, and the
 * load average before and after. Ratios from rounds whose threads fell short of {@link CONTENDED} moved with the
 * other tenants' load, not only with the code.
 */
function hostTable(): void {
  if (hostChecks.length === 0) return;
  const scaling = hostChecks.map(scalingOf);
  const contended = scaling.filter((x) => x < CONTENDED).length;
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  console.log(`## The host during the step rounds (a check at the start of each: ${rounds} rounds of each of ${models.length} steps)\n`);
  console.log('| figure | median [range] |');
  console.log('|---|---:|');
  console.log(`| wasm f32x4 peak, one thread (GFLOP/s) | ${withRange(hostChecks.map((h) => h.one), 1)} |`);
  console.log(`| the same, ${threads} threads at once (GFLOP/s) | ${withRange(hostChecks.map((h) => h.all), 1)} |`);
  console.log(`| ${threads} threads' rate ÷ (${threads} × one thread's) | ${withRange(scaling, 2)} |`);
  console.log(`\nRounds whose threads together reached less than ${CONTENDED} of ${threads} × one thread's rate: ${contended} of ${scaling.length}` +
    `${contended > 0 ? ' (other tenants had this machine\'s cores then; ratios from such rounds move with their load)' : ''}.` +
    ` Load average (1, 5, 15 min) at the start: ${load(loadAtStart)}; at the end: ${load(loadavg())}.\n`);
}

/**
 * Issue 16's goals: each figure's median [range] over rounds, the rounds at or above the goal, the verdict, and the
 * median over the quiet rounds alone (those whose check of the host found its threads adding up), where the rounds had
 * a check: a verdict that holds there too does not come from other tenants' load.
 */
function goalTable(): void {
  console.log('## Goals (issue 16): medians of per-round ratios\n');
  console.log('| figure | goal | median [range] | rounds at or above | met | quiet rounds: median [range] |');
  console.log('|---|---:|---:|---:|---|---:|');
  for (const { figure, goal, ratios, quiet } of goals) {
    if (!ratios) {
      console.log(`| ${figure} | ≥ ${goal} | not measured in this run | | | |`);
      continue;
    }
    const above = ratios.filter((r) => r >= goal).length;
    const calm = quiet ? ratios.filter((_, i) => quiet[i]) : [];
    const calmText = !quiet ? 'no host check' : calm.length === 0 ? 'none quiet' : `${withRange(calm, 2)} (${calm.length} of ${ratios.length})`;
    console.log(`| ${figure} | ≥ ${goal} | ${withRange(ratios, 2)} | ${above} of ${ratios.length} | ${median(ratios) >= goal ? 'yes' : '**no**'} | ${calmText} |`);
  }
  if (epochPeakMiB) console.log(`| the epoch's peak RSS, vib / PyTorch (MiB) | reported | ${f(epochPeakMiB[0], 0)} / ${f(epochPeakMiB[1], 0)} | | | |`);
  console.log('');
  if (inferCeiling) {
    console.log(`The pure inference's ceiling on this host: its matmul FLOPs at the f32x4 peak of ${threads} threads would be ${withRange(inferCeiling, 2)} × stock wasm (per round). Dense products cannot beat it; only the sparse GEMM's skipped zeros take the pure tier past it.\n`);
  }
}

/** One Fashion-MNIST epoch of the alemi recipe: the vib CLI vs PyTorch, alternating, each in its own process. */
async function epochRow(): Promise<void> {
  if (epochRounds <= 0) return;
  const dir = fashionMnistDir();
  if (typeof dir !== 'string') return console.log(`epoch row skipped: ${dir.reason}`);
  const runs: Record<'vib' | 'torch' | 'torchDefault', EpochRun[]> = { vib: [], torch: [], torchDefault: [] };
  const sides = (['vib', 'torch', ...(withDefaults ? ['torchDefault' as const] : [])] as const);
  const epochOf = (who: (typeof sides)[number]): Promise<EpochRun> =>
    who === 'vib' ? vibEpoch(dir) : torchEpoch(dir, threads, who === 'torch' ? TORCH_MALLOC_ENV : TORCH_DEFAULT_MALLOC_ENV);
  for (let r = 0; r < epochRounds; r++) {
    for (const who of r % 2 === 0 ? sides : [...sides].reverse()) runs[who].push(await epochOf(who));
  }
  console.log('## One Fashion-MNIST epoch, alemi recipe (60,000 training images, batch 100, EMA; then the 12-sample evaluation on 10,000)\n');
  console.log(`vib ran as ${epochCli(runs.vib)}.\n`);
  console.log('| run | seconds (train + eval) [range] | × PyTorch [range] | process wall s | peak RSS MiB [range] | test accuracy (mean code) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const torchSec = runs.torch.map((x) => x.seconds);
  noteGoal('Fashion-MNIST epoch × PyTorch', torchSec, runs.vib.map((x) => x.seconds));
  epochPeakMiB = [median(runs.vib.map((x) => x.peakMiB)), median(runs.torch.map((x) => x.peakMiB))];
  const rows = [['vib train (wasm, best tier)', runs.vib], ['PyTorch', runs.torch], ...(withDefaults ? [[torchDefaultLabel, runs.torchDefault] as const] : [])] as const;
  for (const [name, xs] of rows) {
    const sec = xs.map((x) => x.seconds);
    console.log(`| ${name} | ${withRange(sec, 1)} | ${ratio(torchSec, sec)} | ${f(median(xs.map((x) => x.wallSeconds)), 1)} | ${withRange(xs.map((x) => x.peakMiB), 0)} | ${xs.map((x) => f(x.accuracy, 4)).join(' / ')} |`);
  }
  const parts = epochPeakParts(runs.vib);
  if (parts !== '') console.log(`\nvib's peaks by part (sampled every 100 ms; median [range] over rounds): ${parts}.`);
  console.log('');
}

/**
 * The browser row: bench/browser/run-browser-bench.ts in headless Chromium (the pure tier against stock tfjs wasm
 * in the page, 9 alternating rounds; webgl on SwiftShader beside them, a correctness figure, not a speed one).
 */
async function browserRow(): Promise<void> {
  const chromium = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
  if (process.env['VIB_BENCH_BROWSER'] === '0') return;
  if (!existsSync(chromium)) return console.log(`browser row skipped: no Chromium at ${chromium} (apt install chromium, or set CHROMIUM)\n`);
  const script = fileURLToPath(new URL('./browser/run-browser-bench.ts', import.meta.url));
  let result: { setup?: { threads?: number }; isolated?: boolean; stockThreads?: number; rounds?: { stock: number; pure: number }[]; webgl?: { ms?: number; renderer?: string; error?: string }; error?: string; userAgent?: string };
  try {
    const out = execFileSync(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    result = JSON.parse(out.slice(out.indexOf('{'))) as typeof result;
  } catch (e) {
    return console.log(`browser row failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  }
  if (!result.rounds) return console.log(`browser row failed in the page: ${result.error ?? 'no result'}\n`);
  const stock = result.rounds.map((r) => r.stock);
  const pure = result.rounds.map((r) => r.pure);
  noteGoal('Chromium: pure VIB step × stock wasm', stock, pure);
  console.log(`## VIB train step in headless Chromium (${/Chrome\/[\d.]+/.exec(result.userAgent ?? '')?.[0] ?? 'Chromium'}), batch 100, ${stock.length} alternating rounds\n`);
  console.log(`Page ${result.isolated ? 'cross-origin isolated' : 'not isolated'}: stock tfjs wasm on ${result.stockThreads ?? '?'} thread(s) (tfjs's own pool), the pure tier on ${result.setup?.threads ?? '?'}.\n`);
  console.log('| run | ms/step [range] | × stock wasm [range] |');
  console.log('|---|---:|---:|');
  console.log(`| tfjs wasm (stock) | ${withRange(stock, 1)} | 1.0 |`);
  console.log(`| tfjs wasm + pure tier | ${withRange(pure, 1)} | ${ratio(stock, pure, 1)} |`);
  const gl = result.webgl;
  if (gl?.ms !== undefined) console.log(`| tfjs webgl (${gl.renderer ?? 'unknown renderer'}; SwiftShader is a correctness run, not a speed figure) | ${f(gl.ms, 1)} | ${f(median(stock) / gl.ms, 2)} |`);
  else if (gl?.error) console.log(`| tfjs webgl | failed: ${gl.error} | |`);
  console.log('');
}

/**
 * The kernel to time beside the addon's default products: OpenBLAS where the default is an own kernel, else the
 * first own kernel that the addon takes when asked (one it was built with), else none.
 * @param blas - the loaded addon
 * @returns the other kernel, or undefined where there is none (an addon without the choice)
 */
function sideGemmKernel(blas: NativeBlas): GemmKernelName | undefined {
  const current = blas.gemmKernel?.();
  if (!current) return undefined;
  if (OWN_GEMM_KERNELS.includes(current)) return 'openblas';
  return OWN_GEMM_KERNELS.find((k) => withGemmKernel(blas, k, () => blas.gemmKernel?.()) === k);
}

// Where one step's time goes: `node --conditions=@vib/source --import tsx bench/profile-step.ts <vib|vae|infer|cnn> <stock|pure|native> [parts]`.
// Without `parts`: per-kernel times of one step from tf.profile, which waits after each kernel (the times of single
// kernels are rough; the counts are exact). With `parts` (native tier): every call into @vib/native-blas timed over
// 60 steps, against the whole step (bench/native-timing puts a timed copy of the addon in its place).
// Env: VIB_PROFILE_THREADS (the tier's threads; default its own choice), VIB_PROFILE_BATCH (the VIB step's and the
// inference's batch; default 100), VIB_PROFILE_SHAPES=1 (each matmul's shapes
// and time; another value: a pattern of kernel names; with parts, any value: each product's shape, time and GFLOP/s).
import { register } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { createRegistry } from '@vib/core';
import { registerBackends } from '../src/register.js';
import { selectBackend } from '../src/selection/select-backend.js';
import { median } from './figures.js';
import { cnnStep, vaeStep, vibStep, type BenchStep } from './models.js';

const [model = 'vib', tier = 'native', mode = 'kernels'] = process.argv.slice(2);
const usage = 'usage: profile-step.ts <vib|vae|infer|cnn> <stock|pure|native> [parts]';
if (!['vib', 'vae', 'infer', 'cnn'].includes(model) || !['stock', 'pure', 'native'].includes(tier) || !['kernels', 'parts'].includes(mode)) {
  console.error(`${usage} (got ${process.argv.slice(2).join(' ') || 'nothing'})`);
  process.exit(2);
}
if (mode === 'parts') {
  if (tier !== 'native') {
    console.error(`parts times the calls into the native addon, which the ${tier} tier does not make: run it on the native tier, or leave out parts for per-kernel times`);
    process.exit(2);
  }
  if (typeof register !== 'function') {
    console.error(`parts needs module hooks (node:module's register, Node 20.6 or later); this is Node ${process.versions.node}`);
    process.exit(2);
  }
  // before the backend is selected: the native tier imports the addon then, and the hooks put the timed copy in its place
  register('./native-timing/hooks.mjs', import.meta.url);
}

/** Per-kernel times of one profiled step, then the unprofiled step time. */
async function kernels(s: BenchStep): Promise<void> {
  s.run();
  s.run();
  const info = await tf.profile(() => s.run());
  console.log(`kernels per step: ${info.kernels.length} (tfjs engine dispatches, nested ones included)`);
  const total = new Map<string, [number, number]>();
  for (const k of info.kernels) {
    const e = total.get(k.name) ?? [0, 0];
    total.set(k.name, [e[0] + Number(k.kernelTimeMs), e[1] + 1]);
  }
  for (const [name, [ms, n]] of [...total].sort((a, b) => b[1][0] - a[1][0]).slice(0, 12)) console.log(`${name.padEnd(28)} ${ms.toFixed(1).padStart(7)} ms  ×${n}`);
  const shapes = process.env['VIB_PROFILE_SHAPES'];
  if (shapes) for (const k of info.kernels) if (new RegExp(shapes === '1' ? 'MatMul' : shapes).test(k.name)) console.log(k.name, JSON.stringify(k.inputShapes), Number(k.kernelTimeMs).toFixed(2));
  const t = performance.now();
  for (let i = 0; i < 5; i++) s.run();
  console.log(`unprofiled: ${((performance.now() - t) / 5).toFixed(1)} ms/step`);
}

/** What the addon's functions do in a step, by the name of the function. */
const PART_LABELS: Record<string, string> = {
  sgemm: 'products',
  adam: 'Adam',
  polar: 'normal draws',
  fused: 'fused chains',
  unary: 'exp/log family',
  colSum: 'column sums',
  rowSum: 'row sums',
  biasAct: 'bias and activation',
  convFields: 'receptive fields (unfold, fold)',
  maxPoolGrad: 'max pool gradients',
  maxPool: 'max pools',
  fieldsProduct: 'products on gathered fields',
  foldProduct: 'input gradients folded image by image',
  leftFieldsProduct: 'products on gathered fields, on the left',
  ema: 'weight EMA',
  getNumThreads: 'thread count',
};

/** The whole step against each of the addon's functions (every call timed), medians over 60 steps. */
async function parts(s: BenchStep): Promise<void> {
  type Timings = Map<string, { ms: number; calls: number }>;
  const { __vibNativeTimings: timings, __vibNativeProducts: products } = globalThis as { __vibNativeTimings?: Timings; __vibNativeProducts?: Timings };
  if (!timings || !products) throw new Error('bench/native-timing did not load: the native tier imported @vib/native-blas before its hooks were registered');
  for (let i = 0; i < 10; i++) s.run();
  const steps = 60;
  const whole: number[] = [];
  const outside: number[] = [];
  type PerStep = Map<string, { ms: number[]; calls: number }>;
  const per: PerStep = new Map();
  const perProduct: PerStep = new Map();
  /** Add one step's timings to the per-step lists (calls as in the first step seen); returns the step's total ms. */
  const collect = (into: PerStep, from: Timings): number => {
    let total = 0;
    for (const [key, e] of from) {
      const p = into.get(key) ?? { ms: [], calls: e.calls };
      p.ms.push(e.ms);
      into.set(key, p);
      total += e.ms;
    }
    return total;
  };
  for (let i = 0; i < steps; i++) {
    timings.clear();
    products.clear();
    const t = performance.now();
    s.run();
    const ms = performance.now() - t;
    const native = collect(per, timings);
    collect(perProduct, products);
    whole.push(ms);
    outside.push(ms - native);
  }
  const all = median(whole);
  const row = (label: string, ms: number): string => `  ${label.padEnd(54)} ${ms.toFixed(2).padStart(6)} ms ${((100 * ms) / all).toFixed(0).padStart(3)} %`;
  console.log(`${s.label}, ${steps} steps after 10 to warm up; medians per step (each part's own median: they need not add up)`);
  console.log(row('whole step', all));
  // a function missing from some steps counts 0 ms in those
  const partMedian = (ms: number[]): number => median([...ms, ...new Array<number>(steps - ms.length).fill(0)]);
  for (const [name, p] of [...per].sort((a, b) => partMedian(b[1].ms) - partMedian(a[1].ms))) {
    console.log(row(`${PART_LABELS[name] ?? name} (${name}, ${p.calls} call${p.calls === 1 ? '' : 's'})`, partMedian(p.ms)));
    if (process.env['VIB_PROFILE_SHAPES']) {
      // keys: "<function> <transposes> M×N×K"
      for (const [key, q] of perProduct) {
        const [fn, transposes, dims] = key.split(' ') as [string, string, string];
        if (fn !== name) continue;
        const [m, n, k] = dims.split('×').map(Number) as [number, number, number];
        const ms = partMedian(q.ms);
        console.log(`${row(`    ${transposes} ${dims}${q.calls > 1 ? ` (${q.calls} calls)` : ''}`, ms)}  ${((2 * m * n * k * q.calls) / ms / 1e6).toFixed(0).padStart(4)} GFLOP/s`);
      }
    }
  }
  console.log(row("outside the addon: tfjs's engine, wasm kernels, JS", median(outside)));
}

const registry = createRegistry();
registerBackends(registry);
const threads = process.env['VIB_PROFILE_THREADS'];
console.log((await selectBackend(registry, { preferred: 'wasm', strict: true, tier: tier as 'native', ...(threads ? { threads: Number(threads) } : {}) })).reason);
const step = model === 'vae' ? vaeStep() : model === 'cnn' ? cnnStep(Number(process.env.VIB_PROFILE_BATCH ?? 100)) : vibStep(Number(process.env.VIB_PROFILE_BATCH ?? 100), model !== 'infer');
if (mode === 'parts') await parts(step);
else await kernels(step);
step.dispose();

// Benchmark (not a test): the `kde-upper` estimator (through the registry, as `vib infoplane` calls it) on 4,096
// rows, the 12-bit task's all inputs, of layers 10, 5 and 3 units wide, against the same estimate in PyTorch
// (Debian's python3-torch, float64, 2 threads: bench/kde_torch.py), alternating rounds, and the two estimates'
// difference. Run: pnpm --filter @vib/core bench:kde [rounds]
// Env: VIB_BENCH_PYTHON (default /usr/bin/python3), VIB_BENCH_TORCH_THREADS (2).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
// the figures and PyTorch's environment as the backends' bench prints and sets them
import { withRange } from '../../backends/bench/figures.js';
import { hostCpu } from '../../backends/bench/host-cpu.js';
import { torchEnv, torchPython } from '../../backends/bench/torch-client.js';
import { createRegistry, estimateInformation, registerEstimators } from '../src/index.js';

const rounds = Number(process.argv[2] ?? 5);
const [n, variance] = [4096, 0.01];
/** Activations like a tanh layer's (uniform pre-activations in [−2, 2)), labels by the sign of the first unit. */
const cases = [10, 5, 3].map((d, c) => {
  let s = (c + 1) * 7919;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const data = Float64Array.from({ length: n * d }, () => Math.tanh(4 * (rand() - 0.5)));
  const labels = Int32Array.from({ length: n }, (_, i) => (data[i * d]! > 0 ? 1 : 0));
  return { d, data, labels };
});

const registry = createRegistry();
registerEstimators(registry);
/** One estimate's time (ms) and coordinates (nats). */
interface Estimate {
  readonly ms: number;
  readonly ixt: number;
  readonly ity: number;
}
const ours = (k: number): Estimate => {
  const { d, data, labels } = cases[k]!;
  const t = performance.now();
  const r = estimateInformation(registry, 'kde-upper', { activations: { data, n, d }, labels, numClasses: 2 }, { noiseVariance: variance });
  return { ms: performance.now() - t, ixt: r.ixt?.nats ?? NaN, ity: r.ity?.nats ?? NaN };
};

/** PyTorch in a child process, or why not. */
async function startTorch(): Promise<{ run(k: number): Promise<Estimate>; version: string; close(): void } | string> {
  const python = torchPython();
  if (!existsSync(python)) return `${python} not found (install Debian's python3-torch)`;
  const dir = mkdtempSync(join(tmpdir(), 'vib-kde-bench-'));
  const file = join(dir, 'cases.bin');
  const parts: Buffer[] = [Buffer.from(Int32Array.of(cases.length).buffer)];
  for (const { d, data, labels } of cases) {
    const head = Buffer.alloc(16);
    head.writeInt32LE(n, 0);
    head.writeInt32LE(d, 4);
    head.writeDoubleLE(variance, 8);
    parts.push(head, Buffer.from(data.buffer), Buffer.from(labels.buffer));
  }
  writeFileSync(file, Buffer.concat(parts));
  const threads = Number(process.env['VIB_BENCH_TORCH_THREADS'] ?? 2);
  const child = spawn(python, [fileURLToPath(new URL('./kde_torch.py', import.meta.url)), file], { env: torchEnv(threads, {}), stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown> | undefined> => {
    const line = await lines.next();
    return line.done ? undefined : (JSON.parse(line.value) as Record<string, unknown>);
  };
  const close = (): void => {
    child.stdin.end();
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = await next();
  if (!ready?.['ready']) {
    close();
    return `${python} could not run PyTorch (is Debian's python3-torch installed?)`;
  }
  return {
    version: `PyTorch ${String(ready['torch'])} (CPU kernels: ${String(ready['cpuKernels'])}), ${String(ready['threads'])} threads`,
    run: async (k) => {
      child.stdin.write(`${k}\n`);
      const r = await next();
      if (!r) throw new Error('the PyTorch child stopped');
      return r as unknown as Estimate;
    },
    close,
  };
}

const torch = await startTorch();
console.log(`kde-upper on ${n} rows (${hostCpu()}), noise variance ${variance}, ${rounds} alternating rounds after one untimed; reference: ${typeof torch === 'string' ? `none (${torch})` : `${torch.version} (torch.cdist, logsumexp, float64)`}`);
console.log('| layer width | vib ms | PyTorch ms | PyTorch ÷ vib | I(X;T) nats, vib − PyTorch | I(T;Y) nats, vib − PyTorch |');
console.log('|---:|---:|---:|---:|---:|---:|');
try {
  for (const [k, { d }] of cases.entries()) {
    ours(k);
    if (typeof torch !== 'string') await torch.run(k);
    const mine: Estimate[] = [];
    const theirs: Estimate[] = [];
    for (let r = 0; r < rounds; r++) {
      mine.push(ours(k));
      if (typeof torch !== 'string') theirs.push(await torch.run(k));
    }
    const ms = mine.map((x) => x.ms);
    if (theirs.length === 0) {
      console.log(`| ${d} | ${withRange(ms, 0)} | n/a | n/a | n/a | n/a |`);
      continue;
    }
    const ratio = theirs.map((x, i) => x.ms / ms[i]!);
    const [a, b] = [mine[0]!, theirs[0]!];
    console.log(`| ${d} | ${withRange(ms, 0)} | ${withRange(theirs.map((x) => x.ms), 0)} | ${withRange(ratio, 2)} | ${(a.ixt - b.ixt).toExponential(1)} | ${(a.ity - b.ity).toExponential(1)} |`);
  }
} finally {
  if (typeof torch !== 'string') torch.close();
}

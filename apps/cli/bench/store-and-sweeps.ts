// Measures, side by side in one run: run-store epoch writes per second and their cost as a fraction of an
// epoch; a 4-point sweep's wall time in one process, in `--jobs 2`, and on a queue with 2 `vib worker`s
// (default threads, and --threads 1). Run: node --conditions=@vib/source --import tsx apps/cli/bench/store-and-sweeps.ts
// Timings are only comparable within one run (the machine's load changes between runs).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { presetConfig } from '@vib/kit';
import { RunStore } from '@vib/store';
import { parseExperimentConfig, type EpochMetrics } from '@vib/tasks';
import { startRedis } from '../test/redis-server.js';
import { setupBackend } from '../src/backend-setup.js';
import { loadDataset } from '../src/dataset-load.js';
import { createCliRegistry } from '../src/registry.js';
import { trainWithProgress } from '../src/train-run.js';

const repo = resolve(import.meta.dirname, '../../..');
const main = join(repo, 'apps/cli/src/main.ts');
const root = await mkdtemp(join(tmpdir(), 'vib-bench-'));
const silent = { write: () => true };
const rounds = Number(process.env['ROUNDS'] ?? 1);

// 1. one real training run's epochs (the digits preset on 2,000 embedded digits), then the store's writes
const registry = await createCliRegistry([]);
const backend = await setupBackend(registry, undefined); // what vib train would use here
const config = parseExperimentConfig({ ...presetConfig('digits'), epochs: 3, seed: 0 }, registry);
const data = await loadDataset(registry, config.dataset, { maxTrain: '2000', maxTest: '500' });
const epochs: EpochMetrics[] = [];
const { result } = await trainWithProgress({ config, registry, dataset: data, backend: backend.name, io: { stdout: silent, stderr: silent }, quiet: true, onEpochEnd: async (m) => { epochs.push(m); } });
result.model.model.dispose();
const epochMs = (epochs.reduce((s, m) => s + m.seconds, 0) / epochs.length) * 1000;
const store = RunStore.open(join(root, 'bench.sqlite'));
const id = store.startRun({ command: 'train', argv: [] });
const n = 3000;
let t0 = performance.now();
for (let e = 1; e <= n; e++) store.logEpoch(id, e, { ...epochs[e % epochs.length]!, epoch: e });
const writeMs = (performance.now() - t0) / n;
t0 = performance.now();
for (let e = 1; e <= n; e++) store.heartbeat(id);
const beatMs = (performance.now() - t0) / n;
store.close();
const line = (s: string) => process.stdout.write(`${s}\n`);
line(`cores ${availableParallelism()}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
line(`epoch writes: ${(1000 / writeMs).toFixed(0)}/s (${writeMs.toFixed(3)} ms each, a ${JSON.stringify(epochs[0]).length}-byte record); heartbeats ${(1000 / beatMs).toFixed(0)}/s`);
line(`digits preset epoch on 2,000 digits (${backend.name}, ${backend.tier}): ${epochMs.toFixed(0)} ms, so recording one epoch costs ${(writeMs / epochMs).toExponential(1)} of it`);

// 2. the same 4-point sweep, four ways
const point = ['--max-train', process.env['POINT_TRAIN'] ?? '2000', '--max-test', '500', '--epochs', process.env['POINT_EPOCHS'] ?? '2', '--betas', '1e-3,1e-2', '--seeds', '0,1', '--quiet', '--json'];
const run = (args: string[]) => new Promise<number>((res, rej) => {
  const t = performance.now();
  const p = spawn(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', main, ...args], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d: Buffer) => (err += String(d)));
  p.on('exit', (code) => (code === 0 ? res((performance.now() - t) / 1000) : rej(new Error(`${args.join(' ')}: ${err}`))));
});
const redis = await startRedis();
const workers = (extra: string[]) => [0, 1].map(() => spawn(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', main, 'worker', '--queue', redis.url, '--quiet', ...extra], { cwd: repo, stdio: 'ignore' }));
let k = 0;
const fresh = () => ['--store', join(root, `s${k}.sqlite`), '--out', join(root, `o${k++}`)];
const ways: [string, () => Promise<number>][] = [
  ['one process', () => run(['sweep', ...point, ...fresh()])],
  ['--jobs 2 (1 thread each)', () => run(['sweep', ...point, '--jobs', '2', ...fresh()])],
  ...(['default', '1'] as const).map((threads) => [`queue, 2 workers, threads ${threads === 'default' ? `default (${availableParallelism()} each)` : '1'}`, async () => {
    await new Promise<void>((r) => spawn('redis-cli', ['-p', String(redis.port), 'flushall'], { stdio: 'ignore' }).on('exit', () => r()));
    const ws = workers(threads === 'default' ? [] : ['--threads', threads]);
    await new Promise((r) => setTimeout(r, 8000)); // let both workers start before the clock does
    try {
      return await run(['sweep', ...point, '--queue', redis.url, ...fresh()]);
    } finally {
      for (const w of ws) w.kill('SIGTERM');
    }
  }] as [string, () => Promise<number>]),
];
const times = new Map<string, number[]>(ways.map(([name]) => [name, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, way] of r % 2 === 0 ? ways : [...ways].reverse()) times.get(name)!.push(await way());
}
const base = times.get('one process')!;
for (const [name, ts] of times) line(`${name}: ${ts.map((t) => `${t.toFixed(1)} s`).join(', ')} (${ts.map((t, i) => `${(t / base[i]!).toFixed(2)}×`).join(', ')} of one process)`);
line(`load average after ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
await redis.stop();
await rm(root, { recursive: true, force: true });

// Recording overhead: the cost of one per-epoch write against the epoch time of a real training run, both
// measured here, side by side. Run from the repository root:
//   node --conditions=@vib/source --import tsx packages/store/bench/recording-overhead.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '../src/run-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vib-store-bench-'));
const file = join(dir, 'runs.sqlite');
// 1. a real run: the digits preset (the README's main command), 3 epochs, recorded in this store
execFileSync(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', 'apps/cli/src/main.ts', 'train', '--epochs', '3', '--no-plots', '--quiet',
  '--store', file, '--out', join(dir, 'run')], { stdio: 'inherit' });
const store = RunStore.open(file);
const [run] = store.list({ command: 'train' });
const epochs = store.epochs(run!.id);
const epochSeconds = epochs.map((e) => e.metrics['seconds'] as number);
const meanEpoch = epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length;
// 2. the same per-epoch record, written N times into a fresh run of the same store
const metrics = epochs[epochs.length - 1]!.metrics;
const n = 2000;
const id = store.startRun({ command: 'bench', argv: [] });
const t0 = performance.now();
for (let i = 1; i <= n; i++) store.logEpoch(id, i, metrics);
const perWriteMs = (performance.now() - t0) / n;
const t1 = performance.now();
for (let i = 0; i < 200; i++) {
  const r = store.startRun({ command: 'bench', argv: ['x'], tags: { a: 'b' } });
  store.finishRun(r, { status: 'completed', summary: { accuracy: 0.9 } });
}
const perRunMs = (performance.now() - t1) / 200;
store.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({
  epochSeconds: meanEpoch, epochWriteMs: perWriteMs, epochWritesPerSecond: 1000 / perWriteMs,
  runStartFinishMs: perRunMs, runsPerSecond: 1000 / perRunMs, metricsBytes: JSON.stringify(metrics).length,
  overheadRatio: perWriteMs / 1000 / meanEpoch,
}, null, 2));

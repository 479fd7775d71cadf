// Benchmark (not a test): load a 1,000,000-row × 50-column CSV through the `csv` dataset plugin and print
// the peak resident memory of the loading process. Run: pnpm --filter @vib/data bench:csv [rows] [cols]
// The file is generated once under the OS temp folder; the load runs in a fresh child process so that
// its peak RSS (getrusage maxrss) counts only the load.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const rows = Number(process.argv[2] ?? 1_000_000);
const cols = Number(process.argv[3] ?? 50);
const file = join(tmpdir(), `vib-bench-${rows}x${cols}.csv`);

async function generate(): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((ok) => out.once('drain', () => ok())));
  await write(`${Array.from({ length: cols }, (_, j) => `f${j}`).join(',')},label\n`);
  let seed = 1;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < rows; i++) {
    const cells = Array.from({ length: cols }, () => next().toFixed(4));
    await write(`${cells.join(',')},${i % 10}\n`);
  }
  await new Promise<void>((ok) => out.end(ok));
}

/**
 * This process's own peak RSS in bytes: the kernel's VmHWM on Linux (since the process started), else getrusage's
 * maxRSS, which Linux carries across fork and exec (a child of a large parent would report the parent's RSS).
 */
function ownPeakRssBytes(): number {
  try {
    const kib = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
    if (Number.isFinite(kib)) return kib * 1024;
  } catch {
    // not Linux: the resource usage below
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function load(): Promise<void> {
  const { csvDataset } = await import('../src/csv/csv-dataset.js');
  const started = performance.now();
  const d = await csvDataset.load(csvDataset.configSchema.parse({ path: file }));
  const seconds = (performance.now() - started) / 1000;
  const peak = ownPeakRssBytes();
  const floats = (d.train.n + d.test.n) * cols * 4;
  console.log(JSON.stringify({ rows: d.train.n + d.test.n, cols, fileBytes: statSync(file).size, seconds: Number(seconds.toFixed(1)), peakRssBytes: peak, float32DataBytes: floats, peakOverData: Number((peak / floats).toFixed(2)) }));
}

if (process.argv.includes('--load')) {
  await load();
} else {
  if (!existsSync(file)) await generate();
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', self, String(rows), String(cols), '--load'], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
}

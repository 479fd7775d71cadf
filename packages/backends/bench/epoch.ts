// The epoch row of `pnpm bench`: one Fashion-MNIST epoch of the alemi recipe, as users run it
// (`vib train --preset alemi-mnist --data fashion-mnist --epochs 1`), against the same epoch in PyTorch
// (bench/torch_epoch.py), alternating, each in its own process so that peak resident memory is its own.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDX_IMAGES_MAGIC, readIdxFile } from '@vib/data';
import { cliToRun } from '../../../scripts/built-cli.mjs';
import { withRange } from './figures.js';
import { torchEnv, torchPython } from './torch-client.js';

/** One run: seconds of training + evaluation (after loading), wall seconds of the process, peak RSS, accuracy. */
export interface EpochRun {
  readonly seconds: number;
  readonly wallSeconds: number;
  readonly peakMiB: number;
  /**
   * vib's runs: the peaks of V8's heap and of its external memory (the wasm heap among it), sampled every 100 ms, and
   * on Linux the peaks of the RSS's kinds (anonymous, file-backed, shared memory) from the same samples.
   */
  readonly parts?: { readonly v8HeapMiB: number; readonly externalMiB: number; readonly kinds?: RssKinds };
  readonly accuracy: number;
  /** vib's runs: which CLI ran, as the run itself reported it (`other`: a bundled CLI); PyTorch's: undefined. */
  readonly cli?: CliRunsAs;
}

/** The peaks of the kinds of memory the kernel counts in the RSS (/proc/self/status: RssAnon, RssFile, RssShmem), MiB. */
export interface RssKinds {
  readonly anonMiB: number;
  readonly fileMiB: number;
  readonly shmemMiB: number;
}

/** Which vib CLI an epoch ran: the compiled files, the TypeScript sources through tsx, or another (bundled) file. */
export type CliRunsAs = 'compiled' | 'sources' | 'other';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ out: string; err: string; wall: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ out, err, wall: (performance.now() - started) / 1e3 });
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/**
 * How the epoch row starts the vib CLI: as `pnpm vib` does (scripts/vib.mjs: the compiled CLI where its recorded build
 * matches the sources, else the sources through tsx; {@link epochCli} says which), or, where VIB_BENCH_CLI names a
 * bundled CLI (the device run of bench/gpu/, which carries no node_modules), that file.
 */
function cliArgs(): string[] {
  const bundled = process.env['VIB_BENCH_CLI'];
  if (bundled !== undefined && bundled !== '') return ['--import', here('./report-peak-rss.mjs'), bundled];
  return ['--import', here('./report-peak-rss.mjs'), here('../../../scripts/vib.mjs')];
}

/**
 * A figure the preloaded report (report-peak-rss.mjs) printed to stderr, `VIB_PEAK_<name>_KIB n`, in MiB.
 * @param stderr - the run's stderr
 * @param name - `RSS` (the kernel's peak), `V8_HEAP` or `EXTERNAL`, or the RSS's kinds `RSS_ANON`, `RSS_FILE` and
 *   `RSS_SHMEM` (peaks sampled every 100 ms)
 * @returns MiB, or NaN where the run printed none
 */
export function reportedPeakMiB(stderr: string, name: 'RSS' | 'V8_HEAP' | 'EXTERNAL' | 'RSS_ANON' | 'RSS_FILE' | 'RSS_SHMEM'): number {
  return Number(new RegExp(`VIB_PEAK_${name}_KIB (\\d+)`).exec(stderr)?.[1] ?? NaN) / 1024;
}

/**
 * What vib's epoch runs held at their peaks, in words, beside the peak RSS (the parts' peaks need not coincide with
 * the RSS peak, nor with each other).
 * @param runs - vib's epoch runs
 * @returns e.g. `V8's heap 71 [70–72] MiB, external memory (the wasm heap among it) 212 [204–220] MiB; the rest of the
 *   peak RSS is native memory, shared memory and code`, then where every run read them, `; the RSS by kind, each at
 *   its own peak: anonymous 300 [290–310] MiB, file-backed (code, mapped libraries) 48 [47–50] MiB, shared 0 [0–0]
 *   MiB`; or an empty string where no run reported its parts
 */
export function epochPeakParts(runs: readonly EpochRun[]): string {
  const parts = runs.flatMap((r) => (r.parts === undefined ? [] : [r.parts]));
  if (parts.length === 0) return '';
  const heap = withRange(parts.map((p) => p.v8HeapMiB), 0);
  const external = withRange(parts.map((p) => p.externalMiB), 0);
  const said = `V8's heap ${heap} MiB, external memory (the wasm heap among it) ${external} MiB; the rest of the peak RSS is native memory, shared memory and code`;
  const kinds = parts.flatMap((p) => (p.kinds === undefined ? [] : [p.kinds]));
  if (kinds.length !== parts.length) return said;
  const kind = (f: (k: RssKinds) => number): string => withRange(kinds.map(f), 0);
  return `${said}; the RSS by kind, each at its own peak: anonymous ${kind((k) => k.anonMiB)} MiB, file-backed (code, mapped libraries) ${kind((k) => k.fileMiB)} MiB, shared ${kind((k) => k.shmemMiB)} MiB`;
}

/**
 * Which CLI the epoch row ran, in words, from what each run reported (a source edited while the row runs sends the
 * later runs to the sources, whose peak RSS is about 70 MiB above the compiled CLI's).
 * @param runs - vib's epoch runs
 * @returns e.g. `the compiled CLI in all 5 rounds, as pnpm vib runs it where its recorded build matches the sources`
 */
export function epochCli(runs: readonly EpochRun[]): string {
  const bundled = process.env['VIB_BENCH_CLI'];
  if (bundled !== undefined && bundled !== '') return `the bundled CLI ${bundled}`;
  const compiled = runs.filter((r) => r.cli === 'compiled').length;
  const sources = runs.filter((r) => r.cli === 'sources').length;
  const rounds = `${runs.length} round${runs.length === 1 ? '' : 's'}`;
  const every = runs.length === 1 ? 'in its one round' : `in all ${rounds}`;
  if (compiled === runs.length) return `the compiled CLI ${every}, as \`pnpm vib\` runs it where its recorded build matches the sources`;
  if (sources === runs.length) {
    const state = cliToRun(here('../../../'));
    const why = state.fresh ? 'the sources differed from the recorded build while the row ran' : state.reason;
    return `the CLI's TypeScript sources through tsx ${every}, as \`pnpm vib\` runs them here (${why}; the compiled CLI's peak RSS was about 70 MiB lower on 2026-12-06)`;
  }
  if (compiled + sources === 0) return `a CLI that did not say whether it was compiled (${rounds})`;
  return `the compiled CLI in ${compiled} of ${rounds} and the sources through tsx in ${sources} (a source changed while the row ran; the sources' peak RSS is about 70 MiB higher, so this row's mixes the two)`;
}

/**
 * One epoch through the vib CLI in a fresh Node process.
 * @param dataDir - Fashion-MNIST IDX directory
 * @param backend - `--backend` (wasm: its best tier)
 * @returns its figures
 */
export async function vibEpoch(dataDir: string, backend = 'wasm'): Promise<EpochRun> {
  const out = mkdtempSync(join(tmpdir(), 'vib-epoch-'));
  try {
    const r = await run(process.execPath, [
      ...cliArgs(),
      'train', '--preset', 'alemi-mnist', '--data', dataDir, '--epochs', '1', '--backend', backend, '--no-plots', '--json', '--out', join(out, 'run'),
    ], process.env);
    const summary = JSON.parse(r.out.trim().split('\n').at(-1) ?? '{}') as { seconds: number; accuracy: number };
    const cli = (/VIB_CLI_RUNS_AS (compiled|sources|other)/.exec(r.err)?.[1] ?? 'other') as CliRunsAs;
    const [v8HeapMiB, externalMiB] = [reportedPeakMiB(r.err, 'V8_HEAP'), reportedPeakMiB(r.err, 'EXTERNAL')];
    const [anonMiB, fileMiB, shmemMiB] = [reportedPeakMiB(r.err, 'RSS_ANON'), reportedPeakMiB(r.err, 'RSS_FILE'), reportedPeakMiB(r.err, 'RSS_SHMEM')];
    const kinds = [anonMiB, fileMiB, shmemMiB].every(Number.isFinite) ? { kinds: { anonMiB, fileMiB, shmemMiB } } : {};
    const parts = Number.isFinite(v8HeapMiB) && Number.isFinite(externalMiB) ? { parts: { v8HeapMiB, externalMiB, ...kinds } } : {};
    return { seconds: summary.seconds, wallSeconds: r.wall, peakMiB: reportedPeakMiB(r.err, 'RSS'), accuracy: summary.accuracy, cli, ...parts };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * The same epoch in PyTorch (bench/torch_epoch.py with Debian's python3-torch).
 * @param dataDir - Fashion-MNIST IDX directory
 * @param threads - torch threads
 * @param extraEnv - variables to set or (undefined) remove, as for `startTorch`: the malloc settings
 * @returns its figures
 */
export async function torchEpoch(dataDir: string, threads: number, extraEnv: Readonly<Record<string, string | undefined>>): Promise<EpochRun> {
  const r = await run(torchPython(), [here('./torch_epoch.py'), dataDir], torchEnv(threads, extraEnv));
  const s = JSON.parse(r.out.trim().split('\n').at(-1) ?? '{}') as { seconds: number; accuracy: number; peakMiB: number };
  return { seconds: s.seconds, wallSeconds: r.wall, peakMiB: s.peakMiB, accuracy: s.accuracy };
}

/**
 * Where Debian's dataset-fashion-mnist put the files, or why the row cannot run.
 * @returns the directory, or a reason
 */
export function fashionMnistDir(): string | { reason: string } {
  const dir = process.env['VIB_BENCH_FASHION_MNIST'] ?? '/usr/share/datasets/fashion-mnist';
  return existsSync(join(dir, 'train-images-idx3-ubyte.gz')) ? dir : { reason: `no Fashion-MNIST in ${dir} (apt-get install dataset-fashion-mnist)` };
}

/** The Fashion-MNIST test images file (the images row's PyTorch side, torch_step.py, reads it too). */
export const testImagesFile = (dir: string): string => join(dir, 't10k-images-idx3-ubyte.gz');

/**
 * The first `count` Fashion-MNIST test images as 784 floats each in [0, 1] (pixel / 255, as the vib CLI and
 * torch_step.py scale them), read with @vib/data's checked IDX reader.
 * @param dir - Fashion-MNIST IDX directory
 * @param count - images
 * @returns count·784 floats
 */
export async function testImages(dir: string, count: number): Promise<Float32Array> {
  const { dims, data } = await readIdxFile(testImagesFile(dir), IDX_IMAGES_MAGIC);
  if (dims.length !== 3 || dims[1] !== 28 || dims[2] !== 28 || (dims[0] as number) < count) {
    throw new Error(`${testImagesFile(dir)}: expected at least ${count} images of 28×28, the header says [${dims.join(', ')}]`);
  }
  return Float32Array.from(data.subarray(0, count * 784), (v) => v / 255);
}

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vib } from './helpers.js';

// Fault injection on the real binary: kill -9, SIGTERM and a second claimant, each against an
// uninterrupted reference run of the same tiny config (3 epochs × 6 batches), compared byte for byte.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const args = ['train', '--backend', 'cpu', '--hidden', '16', '--latent-dim', '2', '--max-train', '300', '--max-test', '100', '--epochs', '3', '--batch-size', '50', '--seed', '3', '--quiet', '--no-plots'];
let root = '';
let ref = '';

interface Exit { code: number | null; signal: NodeJS.Signals | null; stderr: string; pid: number }

function start(extra: string[], env: Record<string, string> = {}): { pid: number; done: Promise<Exit> } {
  const child = spawn(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', 'apps/cli/src/main.ts', ...args, ...extra], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Exit>((ok) => child.on('close', (code, signal) => ok({ code, signal, stderr, pid: child.pid ?? 0 })));
  return { pid: child.pid ?? 0, done };
}

/** metrics.json without its wall-clock fields (`seconds`), which no two runs share. */
async function metricsWithoutTime(dir: string): Promise<string> {
  return (await readFile(join(dir, 'metrics.json'), 'utf8')).split('\n').filter((l) => !l.includes('"seconds"')).join('\n');
}

async function expectSameRun(dir: string): Promise<void> {
  expect(Buffer.compare(await readFile(join(dir, 'model', 'weights.bin')), await readFile(join(ref, 'model', 'weights.bin')))).toBe(0);
  // tfjs numbers layer names per process (dense_Dense1, dense_Dense5, ...): runs in one test process differ only there
  const topology = async (d: string) => (await readFile(join(d, 'model', 'model.json'), 'utf8')).replace(/([A-Za-z])\d+(?=["/])/g, '$1#');
  expect(await topology(dir)).toBe(await topology(ref));
  expect(await metricsWithoutTime(dir)).toBe(await metricsWithoutTime(ref));
  expect((await readdir(dir)).sort()).toEqual(['config.json', 'metrics.json', 'model']);
}

async function stopped(pid: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (/\) T /.test(stat)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`process ${pid} never stopped`);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-faults-'));
  ref = join(root, 'ref');
  const r = await vib(...args, '--out', ref);
  expect(r.code).toBe(0);
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('fault injection (real processes)', () => {
  it('kill -9 mid-epoch, then --resume: model bytes and metrics equal the uninterrupted run; a second run names the dead one', async () => {
    const dir = join(root, 'killed');
    // checkpoints after steps 4 and 6 (epoch end) and 8; SIGKILL after step 9, mid-epoch 2: steps 9 is redone
    const killed = await start(['--out', dir, '--checkpoint-every', '4'], { VIB_FAULT_AT_STEP: '9:SIGKILL' }).done;
    expect(killed.signal).toBe('SIGKILL');
    expect((await readdir(dir)).sort()).toEqual(['.vib-run.lock', 'checkpoint.vib']);
    const next = await vib(...args, '--out', join(root, 'next'), '--epochs', '1');
    expect(next.stderr).toContain(`${dir} was left unfinished by a process that is gone: resume it with vib train --resume ${dir}`);
    const resumed = await vib('train', '--resume', dir, '--backend', 'cpu', '--quiet', '--no-plots');
    expect(resumed.code).toBe(0);
    await expectSameRun(dir);
  });

  it('SIGTERM mid-epoch exits 143 leaving only a checkpoint (no lock, no temp file), and the resume is identical', async () => {
    const dir = join(root, 'term');
    const term = await start(['--out', dir], { VIB_FAULT_AT_STEP: '8:SIGTERM' }).done;
    expect(term.code).toBe(143);
    expect(term.stderr.trim().split('\n')).toEqual([`vib: error: interrupted (SIGTERM): the run stopped after a checkpoint; continue it with vib train --resume ${dir}`]);
    expect(await readdir(dir)).toEqual(['checkpoint.vib']);
    expect((await readdir(root)).filter((f) => f.startsWith('.'))).toEqual([]);
    // a copy whose checkpoint's last bytes are NaN: the resume fails, and the folder and its checkpoint stay as they were
    const bad = join(root, 'term-corrupt');
    const bytes = await readFile(join(dir, 'checkpoint.vib'));
    bytes.fill(0xff, bytes.length - 64);
    await mkdir(bad);
    await writeFile(join(bad, 'checkpoint.vib'), bytes);
    const failed = await vib('train', '--resume', bad, '--backend', 'cpu', '--quiet', '--no-plots');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`its folder ${bad} is kept with its checkpoint`);
    expect(await readdir(bad)).toEqual(['checkpoint.vib']);
    expect(Buffer.compare(await readFile(join(bad, 'checkpoint.vib')), bytes)).toBe(0);
    const other = await vib('train', '--resume', dir, '--backend', 'cpu', '--quiet', '--seed', '4');
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('the run was started with other values of seed');
    const fewer = await vib('train', '--resume', dir, '--backend', 'cpu', '--quiet', '--max-train', '200');
    expect(fewer.code).toBe(2);
    expect(fewer.stderr).toContain(`--resume ${dir}: the run was started with --max-train 300, not --max-train 200: leave --max-train out to continue it`);
    // --no-plots came with the run (args): the resume keeps it without being told again
    expect((await vib('train', '--resume', dir, '--backend', 'cpu', '--quiet')).code).toBe(0);
    await expectSameRun(dir);
  });

  it('a second run into the same --out fails at once while the first is running; the first finishes intact', async () => {
    const dir = join(root, 'shared');
    const first = start(['--out', dir], { VIB_FAULT_AT_STEP: '2:SIGSTOP' });
    await stopped(first.pid);
    const t0 = Date.now();
    const second = await vib(...args, '--out', dir);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`vib: error: --out ${dir} already exists: a run is writing it now (pid ${first.pid} on ${(await import('node:os')).hostname()}); choose a new folder\n`);
    expect(Date.now() - t0).toBeLessThan(5000);
    process.kill(first.pid, 'SIGCONT');
    expect((await first.done).code).toBe(0);
    await expectSameRun(dir);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RunStore } from '@vib/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLines, vib } from './helpers.js';
import { freePort, startRedis, type TestRedis } from './redis-server.js';

const repo = resolve(import.meta.dirname, '../../..');
const main = resolve(import.meta.dirname, '../src/main.ts');
let root: string;
let redis: TestRedis;
const workers: ChildProcess[] = [];

/** A `vib worker` process with its log. */
function startWorker(url: string, ...extra: string[]): { proc: ChildProcess; log: () => string; waitFor: (re: RegExp) => Promise<void> } {
  const proc = spawn(process.execPath, ['--conditions=@vib/source', '--import', 'tsx', main, 'worker', '--queue', url, '--lock-ms', '3000', ...extra], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  workers.push(proc);
  let log = '';
  const waiters: { re: RegExp; done: () => void }[] = [];
  proc.stdout!.on('data', (d: Buffer) => {
    log += String(d);
    for (const w of waiters.filter((x) => x.re.test(log))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.done();
    }
  });
  return { proc, log: () => log, waitFor: (re) => (re.test(log) ? Promise.resolve() : new Promise((done) => waiters.push({ re, done }))) };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-queue-'));
  redis = await startRedis();
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await redis?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('vib sweep --queue / vib worker (BullMQ on a real redis-server)', () => {
  const store = () => join(root, 'runs.sqlite');
  const args = () => ['sweep', '--backend', 'cpu', '--hidden', '32', '--latent-dim', '4', '--max-train', '400', '--max-test', '100', '--epochs', '2',
    '--betas', '1e-3,1e-1', '--seeds', '0,1', '--queue', redis.url, '--store', store(), '--quiet', '--json'];

  it('finishes a 4-point sweep after one of two workers is SIGKILLed mid-job; each point is stored once; a re-run does no work', async () => {
    // both workers also record what they train in "their machine's" store (one file here)
    const workerStore = join(root, 'worker.sqlite');
    const a = startWorker(redis.url, '--store', workerStore, '--tag', 'machine=a');
    const b = startWorker(redis.url, '--store', workerStore, '--tag', 'machine=b');
    await Promise.all([a.waitFor(/listening/), b.waitFor(/listening/)]);
    const sweep = vib(...args(), '--out', join(root, 'sweep1'));
    await a.waitFor(/point (\S+) started/);
    const killedPoint = /point (\S+) started/.exec(a.log())![1]!;
    // kill it once its point process has begun training (its worker-point run is recorded)
    for (let seen = false; !seen; await new Promise((r) => setTimeout(r, 100))) {
      try {
        const peek = RunStore.open(workerStore, { readonly: true });
        seen = peek.list({ tags: { machine: 'a' } }).length > 0;
        peek.close();
      } catch {
        // not created yet
      }
    }
    a.proc.kill('SIGKILL');
    const r = await sweep;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ trained: 4, reused: 0 });

    const s = RunStore.open(store());
    const points = s.list({ command: 'sweep-point' });
    expect(points).toHaveLength(4);
    expect(new Set(points.map((p) => p.pointId)).size).toBe(4);
    expect(points.map((p) => p.pointId)).toContain(killedPoint);
    for (const p of points) {
      expect(p.status).toBe('completed');
      expect(s.epochs(p.id).map((e) => e.epoch)).toEqual([1, 2]);
      expect(p.summary?.['rateBits']).toBeGreaterThanOrEqual(0);
      expect(p.summary?.['accuracy']).toBeGreaterThan(0);
    }
    // the killed worker's job was found stalled and finished by the other worker: no job lost
    expect(a.log()).not.toMatch(/done in/);
    expect(b.log()).toContain(`point ${killedPoint} done`);
    expect(b.log().match(/done in/g)).toHaveLength(4);
    // the worker store: b's four points completed with their epochs; a's point interrupted when a died, with why
    const w = RunStore.open(workerStore);
    const done = w.list({ command: 'worker-point', status: 'completed' });
    expect(done.map((r) => r.tags['machine'])).toEqual(['b', 'b', 'b', 'b']);
    for (const r of done) expect(w.epochs(r.id).map((e) => e.epoch)).toEqual([1, 2]);
    const cut = w.list({ command: 'worker-point', tags: { machine: 'a' } });
    expect(cut.map((r) => [r.pointId, r.status])).toEqual([[killedPoint, 'interrupted']]);
    expect(cut[0]!.error).toMatch(/the vib worker \(pid \d+\) that ran this point went away/);
    // each sweep-point names the worker record it came from, and the two stores agree on the numbers
    for (const p of points) {
      const [runId] = p.tags['worker-run']!.split('@');
      const mine = w.get(runId!);
      expect([mine.pointId, mine.summary?.['accuracy']]).toEqual([p.pointId, p.summary?.['accuracy']]);
    }
    w.close();
    s.close();

    const again = await vib(...args(), '--out', join(root, 'sweep2'));
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ trained: 0, reused: 4 });
    expect(b.log().match(/started/g)).toHaveLength(4);
    const s2 = RunStore.open(store());
    expect(s2.list({ command: 'sweep-point' })).toHaveLength(4);
    expect(s2.list({ command: 'sweep' }).map((x) => x.status)).toEqual(['completed', 'completed']);
    s2.close();
    b.proc.kill('SIGTERM');
  });

  it('fails at once with one clear line when Redis is unreachable or the URL is wrong', async () => {
    const closed = await freePort();
    const t0 = Date.now();
    const r = await vib('sweep', '--betas', '1e-3', '--queue', `redis://127.0.0.1:${closed}`, '--store', store(), '--quiet');
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([`vib: error: cannot reach Redis at redis://127.0.0.1:${closed} (ECONNREFUSED): start redis-server there (docs/guides/sweeps-across-machines.md says how) or fix --queue`]);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const bad = await vib('worker', '--queue', 'http://127.0.0.1:6379');
    expect(errorLines(bad.stderr)).toEqual(['vib: error: --queue http://127.0.0.1:6379: the scheme must be redis:// or rediss://, not http://: e.g. --queue redis://127.0.0.1:6379']);
  });
});

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { RunStore } from './run-store.js';
import { StoreError } from './store-error.js';

const dir = mkdtempSync(join(tmpdir(), 'vib-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = resolve(import.meta.dirname, '../../..');
const writer = resolve(import.meta.dirname, '../test/writer.ts');
const nodeArgs = ['--conditions=@vib/source', '--import', 'tsx', writer];

describe('RunStore', () => {
  it('opens in WAL mode at the current schema version', () => {
    const store = RunStore.open(join(dir, 'a', 'wal.sqlite'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    store.close();
  });

  it('migrates a version-1 store, keeping its runs and filling the new filter columns from their configs', () => {
    const file = join(dir, 'old.sqlite');
    const old = new Database(file);
    expect(migrate(old, file, 1)).toEqual([1]);
    old.prepare("INSERT INTO runs (id, command, argv, config, seed, status, started_at, ended_at, summary) VALUES ('00aa11bb22cc', 'train', '[\"train\"]', ?, 3, 'completed', 1000, 2000, '{\"accuracy\":0.9}')")
      .run(JSON.stringify({ dataset: { name: 'mnist' }, beta: 0.001 }));
    old.prepare("INSERT INTO epochs (run_id, epoch, metrics) VALUES ('00aa11bb22cc', 1, '{\"loss\":2}')").run();
    old.close();
    const store = RunStore.open(file);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const run = store.get('00aa');
    expect(run).toMatchObject({ id: '00aa11bb22cc', seed: 3, dataset: 'mnist', beta: 0.001, status: 'completed', summary: { accuracy: 0.9 }, tags: {} });
    expect(store.epochs(run.id)).toEqual([{ epoch: 1, metrics: { loss: 2 } }]);
    expect(store.list({ dataset: 'mnist', betaMax: 0.01 }).map((r) => r.id)).toEqual(['00aa11bb22cc']);
    store.close();
  });

  it('refuses a store written by a newer schema', () => {
    const file = join(dir, 'new.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => RunStore.open(file)).toThrow(/schema version 99, newer than this vib \(3\)/);
  });

  it('filters by tag, dataset, β range and status, and resolves id prefixes', () => {
    const store = RunStore.open(join(dir, 'filter.sqlite'));
    const mk = (beta: number, dataset: string, tags: Record<string, string>) => store.startRun({ command: 'train', argv: [], beta, dataset, tags });
    const a = mk(1e-4, 'mnist', { group: 'x' });
    const b = mk(1e-3, 'mnist', { group: 'y' });
    const c = mk(1e-2, 'fashion-mnist', { group: 'x', seed: '1' });
    store.finishRun(a, { status: 'completed' });
    store.finishRun(c, { status: 'failed', error: 'boom' });
    const ids = (f: Parameters<RunStore['list']>[0]) => store.list(f).map((r) => r.id).sort();
    expect(ids({ tags: { group: 'x' } })).toEqual([a, c].sort());
    expect(ids({ tags: { group: 'x', seed: '1' } })).toEqual([c]);
    expect(ids({ dataset: 'mnist' })).toEqual([a, b].sort());
    expect(ids({ betaMin: 5e-4, betaMax: 5e-3 })).toEqual([b]);
    expect(ids({ status: 'running' })).toEqual([b]);
    expect(ids({ status: 'failed' })).toEqual([c]);
    expect(() => store.list({ status: 'done' as never })).toThrow(/status "done" is not one of running, completed, failed, interrupted/);
    expect(() => store.list({ betaMin: 1, betaMax: 0.1 })).toThrow(StoreError);
    expect(() => store.get('zz')).toThrow(/not a run id/);
    expect(() => store.get('ffffffffffff')).toThrow(/no run ffffffffffff/);
    expect(store.remove([a.slice(0, 6)])).toEqual([a]);
    expect(store.list().length).toBe(2);
    store.close();
  });

  it('takes concurrent writes from two processes without losing or corrupting any', async () => {
    const file = join(dir, 'concurrent.sqlite');
    RunStore.open(file).close();
    const run = () => promisify(execFile)(process.execPath, [...nodeArgs, file, '150', '5'], { cwd: root });
    const [one, two] = await Promise.all([run(), run()]);
    const store = RunStore.open(file);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.list({ status: 'completed' }).length).toBe(300);
    expect((store.db.prepare('SELECT count(*) AS n FROM epochs').get() as { n: number }).n).toBe(1500);
    expect(new Set(store.list().map((r) => r.tags['writer'])).size).toBe(2);
    // 7 writes per run (start, 5 epochs, finish); report the slower writer's rate
    const ms = Math.max(Number(one.stdout), Number(two.stdout));
    process.stderr.write(`store: ${Math.round((150 * 7) / (ms / 1000))} writes/s per process with 2 concurrent writers\n`);
    store.close();
  });

  it('shows the run of a SIGKILLed process as interrupted, and leaves live runs running', async () => {
    const file = join(dir, 'killed.sqlite');
    const child = spawn(process.execPath, [...nodeArgs, file, '0', '0', 'hang'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const id = await new Promise<string>((res) => child.stdout.once('data', (d: Buffer) => res(String(d).trim())));
    const mine = RunStore.open(file);
    const live = mine.startRun({ command: 'train', argv: [] });
    expect(mine.get(id).status).toBe('running');
    const exited = new Promise((res) => child.once('exit', res));
    child.kill('SIGKILL');
    await exited;
    expect(mine.reconcile()).toBe(1);
    const run = mine.get(id);
    expect(run.status).toBe('interrupted');
    expect(run.error).toMatch(/ended without finishing/);
    expect(mine.epochs(id)).toEqual([{ epoch: 1, metrics: { loss: 1 } }]);
    expect(mine.get(live).status).toBe('running');
    expect(mine.db.pragma('integrity_check', { simple: true })).toBe('ok');
    mine.close();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startHeartbeat } from './heartbeat.js';
import { migrate } from './migrations.js';
import { RunStore } from './run-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vib-beat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MIN = 60_000;

describe('heartbeats: runs that died on another host', () => {
  it('migrates a version-2 store: running runs get their start as last heartbeat (a long-dead one on another host is marked at once); a duplicate sweep point is set aside and a new one refused', () => {
    const file = join(dir, 'v2.sqlite');
    const old = new Database(file);
    expect(migrate(old, file, 2)).toEqual([1, 2]);
    const insert = old.prepare("INSERT INTO runs (id, command, argv, status, started_at, ended_at, host, pid) VALUES (?, 'train', '[]', ?, ?, ?, ?, ?)");
    const t0 = Date.UTC(2026, 0, 1);
    insert.run('aaaa00000001', 'running', t0, null, 'gpu-box-7', 4242); // died long ago on another host
    insert.run('aaaa00000002', 'completed', t0, t0 + 5000, 'gpu-box-7', 4243);
    insert.run('aaaa00000003', 'running', t0 + 58 * MIN, null, 'gpu-box-8', 17); // started 2 min before "now"
    // a sweep point recorded twice (v2 did not forbid it): the later record is set aside
    const point = old.prepare("INSERT INTO runs (id, command, argv, status, started_at, point_id) VALUES (?, 'sweep-point', '[]', 'completed', ?, 'p1')");
    point.run('bbbb00000001', t0);
    point.run('bbbb00000002', t0 + 1);
    old.close();
    const store = RunStore.open(file, { now: () => t0 + 60 * MIN, staleAfterMs: 10 * MIN });
    expect(store.db.pragma('user_version', { simple: true })).toBe(3);
    const dead = store.get('aaaa00000001');
    expect(dead.status).toBe('interrupted');
    expect(dead.heartbeatAt).toBe(t0);
    expect(dead.error).toBe('no heartbeat from gpu-box-7 (pid 4242) since 2026-01-01T00:00:00.000Z, 60.0 min, past the 10.0 min limit: its process died or lost the store');
    expect(store.get('aaaa00000002')).toMatchObject({ status: 'completed', heartbeatAt: t0 + 5000 });
    expect(store.get('aaaa00000003').status).toBe('running');
    expect(store.completedPoint('p1')?.id).toBe('bbbb00000001');
    expect(store.get('bbbb00000002').command).toBe('sweep-point-duplicate');
    // from now on the schema itself refuses a second completed record of a point
    const again = store.startRun({ command: 'sweep-point', argv: [], pointId: 'p1' });
    expect(() => store.finishRun(again, { status: 'completed' })).toThrow(/UNIQUE constraint failed: runs\.point_id/);
    store.close();
  });

  it('a fake clock: beats keep a run of another host running; past the limit without one it is interrupted; a late beat revives it', () => {
    let now = 1_000_000;
    const store = RunStore.open(join(dir, 'clock.sqlite'), { now: () => now, staleAfterMs: 5000 });
    const id = store.startRun({ command: 'train', argv: [], host: 'other-host', pid: 99 });
    now += 4000;
    store.logEpoch(id, 1, { loss: 1 }); // an epoch is a beat
    now += 4000;
    expect(store.reconcile()).toBe(0);
    store.heartbeat(id);
    now += 5000; // exactly at the limit: still alive
    expect(store.reconcile()).toBe(0);
    now += 1;
    expect(store.reconcile()).toBe(1);
    expect(store.get(id)).toMatchObject({ status: 'interrupted', endedAt: now });
    expect(store.list({ status: 'interrupted' }).map((r) => r.id)).toEqual([id]);
    // it was only cut off: its next beat makes it running again, and it can still finish
    store.heartbeat(id);
    expect(store.get(id)).toMatchObject({ status: 'running', endedAt: null, error: null });
    store.finishRun(id, { status: 'completed' });
    store.heartbeat(id); // a beat after the end changes nothing
    expect(store.get(id).status).toBe('completed');
    // a run interrupted by a signal is never revived
    const sig = store.startRun({ command: 'train', argv: [], host: 'other-host', pid: 98 });
    store.finishRun(sig, { status: 'interrupted', error: 'SIGTERM received' });
    store.heartbeat(sig);
    expect(store.get(sig).status).toBe('interrupted');
    store.close();
  });

  it('never marks a run of this host whose process is alive, however old its beat', () => {
    let now = 0;
    const store = RunStore.open(join(dir, 'local.sqlite'), { now: () => now, staleAfterMs: 10 });
    const id = store.startRun({ command: 'train', argv: [], host: hostname(), pid: process.ppid });
    now += 1e9;
    expect(store.reconcile()).toBe(0);
    expect(store.get(id).status).toBe('running');
    store.close();
  });

  it('startHeartbeat beats from a timer until stopped', async () => {
    let now = 0;
    const store = RunStore.open(join(dir, 'timer.sqlite'), { now: () => now });
    const id = store.startRun({ command: 'train', argv: [] });
    now = 777;
    const stop = startHeartbeat(store, id, 20);
    await new Promise((r) => setTimeout(r, 120));
    expect(store.get(id).heartbeatAt).toBe(777);
    stop();
    now = 999;
    await new Promise((r) => setTimeout(r, 80));
    expect(store.get(id).heartbeatAt).toBe(777);
    store.close();
  });
});

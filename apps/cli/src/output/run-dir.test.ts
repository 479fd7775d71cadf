import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOutDir, withRunDir } from './run-dir.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vib-rundir-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

/** A body that waits until it is aborted, after `signal` was delivered to this process's listeners. */
const waitForAbort = (sig: 'SIGTERM' | 'SIGHUP' | 'SIGINT') => async (_dir: unknown, signal: AbortSignal) => {
  setTimeout(() => process.emit(sig), 10);
  await new Promise<void>((ok) => signal.addEventListener('abort', () => ok()));
  throw new Error('stopped');
};

describe('withRunDir', () => {
  it('of two claims on one folder exactly one wins, and the loser fails before its body runs', async () => {
    const out = join(root, 'a', 'b', 'shared');
    let bodies = 0;
    const body = async () => {
      bodies += 1;
      await new Promise((r) => setTimeout(r, 50));
      return 1;
    };
    const results = await Promise.allSettled([withRunDir(out, body), withRunDir(out, body)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(bodies).toBe(1);
    expect(String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.message)).toMatch(/already exists: (a run is writing it now \(pid \d+|another run is claiming it this moment)/);
    expect(await readdir(out)).toEqual([]);
  });

  it.each([['SIGTERM', 143], ['SIGHUP', 129], ['SIGINT', 130]] as const)('%s aborts the body, exits %i and leaves nothing when there is no checkpoint', async (sig, code) => {
    const out = join(root, `sig-${sig}`);
    const err = await withRunDir(out, waitForAbort(sig)).catch((e: unknown) => e);
    expect((err as { details: Record<string, unknown> }).details['exitCode']).toBe(code);
    expect((err as Error).message).toBe(`interrupted (${sig}): the run was stopped and nothing was saved; run again to completion`);
    expect(await readdir(root)).not.toContain(`sig-${sig}`);
    expect((await readdir(root)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('keeps a folder with a checkpoint after a signal, without its lock, and names how to resume', async () => {
    const out = join(root, 'kept');
    const err = await withRunDir(out, async (dir, signal) => {
      await dir.write('checkpoint.vib', 'x');
      return waitForAbort('SIGTERM')(dir, signal);
    }, { holdsCheckpoint: () => true }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`interrupted (SIGTERM): the run stopped after a checkpoint; continue it with vib train --resume ${out}`);
    expect(await readdir(out)).toEqual(['checkpoint.vib']);
  });

  it('deletes the folder on a failure and names an unwritable or impossible --out in one line', async () => {
    const out = join(root, 'fails');
    await expect(withRunDir(out, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await readdir(root)).not.toContain('fails');
    await expect(withRunDir('/proc/x/y', async () => 1)).rejects.toThrow('--out /proc/x/y: cannot create the folder');
  });

  it('keeps a folder with a checkpoint after a failure, without its lock, and notes how to continue', async () => {
    const out = join(root, 'failed-kept');
    const notes: string[] = [];
    const err = await withRunDir(out, async (dir) => {
      await dir.write('checkpoint.vib', 'x');
      throw new Error('loss became NaN');
    }, { holdsCheckpoint: () => true, stderr: { write: (t: string) => notes.push(t) } }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('loss became NaN');
    expect(await readdir(out)).toEqual(['checkpoint.vib']);
    expect(notes.join('')).toContain(`its folder ${out} is kept with its checkpoint: continue it with vib train --resume ${out}`);
  });

  it('a resumed folder that fails is left with its checkpoint, never deleted', async () => {
    const out = join(root, 'resumed');
    await mkdir(out);
    await writeFile(join(out, 'checkpoint.vib'), 'earlier run');
    const err = await withRunDir(out, async () => {
      throw new Error('checkpoint tensor w holds NaN at index 3');
    }, { resume: true }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/holds NaN/);
    expect(await readdir(out)).toEqual(['checkpoint.vib']);
    expect(await readFile(join(out, 'checkpoint.vib'), 'utf8')).toBe('earlier run');
  });

  it('says what an existing --out is, and claims an empty folder', async () => {
    const file = join(root, 'plain-file');
    await writeFile(file, 'x');
    await expect(withRunDir(file, async () => 1)).rejects.toThrow(`--out ${file} already exists: it is a file, not a folder; choose a new folder`);
    const link = join(root, 'dangling');
    await symlink(join(root, 'nowhere'), link);
    await expect(withRunDir(link, async () => 1)).rejects.toThrow('it is a link to nothing');
    const earlier = join(root, 'earlier');
    await mkdir(earlier);
    await writeFile(join(earlier, 'metrics.json'), '{}');
    await expect(withRunDir(earlier, async () => 1)).rejects.toThrow('it holds an earlier run (runs are never overwritten)');
    const dead = join(root, 'dead-before-checkpoint');
    await mkdir(dead);
    // pid 2^22 + 1 is above Linux's pid_max default of 2^22, so no process has it
    await writeFile(join(dead, '.vib-run.lock'), JSON.stringify({ pid: 2 ** 22 + 1, host: (await import('node:os')).hostname(), started: '' }));
    await expect(withRunDir(dead, async () => 1)).rejects.toThrow('left before its first checkpoint (nothing to resume): remove it');
    await writeFile(join(dead, 'checkpoint.vib'), 'x');
    await expect(withRunDir(dead, async () => 1)).rejects.toThrow(`resume it with vib train --resume ${dead}`);
    const garbage = join(root, 'garbage-lock');
    await mkdir(garbage);
    await writeFile(join(garbage, '.vib-run.lock'), 'not json');
    await expect(withRunDir(garbage, async () => 1)).rejects.toThrow('its lock file .vib-run.lock is unreadable');
    const empty = join(root, 'made-by-hand');
    await mkdir(empty);
    const { result, path } = await withRunDir(empty, async (dir) => {
      await dir.write('metrics.json', '{}');
      return 7;
    });
    expect([result, path]).toEqual([7, empty]);
    expect(await readdir(empty)).toEqual(['metrics.json']);
  });

  it('writes a file given in pieces as their concatenation, and replaces an earlier version whole', async () => {
    const out = join(root, 'pieces');
    const pieces = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(70_000).fill(7), Uint8Array.of(9)];
    await withRunDir(out, async (dir) => {
      await dir.write('f.bin', 'an older, longer version of the file');
      await dir.write('f.bin', pieces);
    });
    const back = new Uint8Array(await readFile(join(out, 'f.bin')));
    expect(back.length).toBe(70_004);
    expect([...back.subarray(0, 3), back[3], back[70_002], back[70_003]]).toEqual([1, 2, 3, 7, 7, 9]);
    expect((await readdir(out)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('default names differ between runs started in the same second', () => {
    const names = new Set(Array.from({ length: 50 }, () => defaultOutDir('train')));
    expect(names.size).toBe(50);
    for (const n of names) expect(n).toMatch(new RegExp(`^runs/\\d{8}-\\d{6}-train-${process.pid}[0-9a-f]{8}$`));
  });
});

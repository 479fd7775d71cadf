import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../util/cli-error.js';
import { CHECKPOINT_FILE } from './checkpoint-file.js';

/** The lock file inside a run folder while a process writes it: `{ pid, host, started }`. */
export const LOCK_FILE = '.vib-run.lock';

/** What a lock file says. */
export interface RunLock {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/**
 * Whether a process id is alive on this machine (`kill(pid, 0)`: EPERM means alive but not ours).
 * @param pid - the process id
 * @returns true when it runs
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Read a run folder's lock, or null when there is none (a finished run, or not a run folder).
 * @param dir - the run folder
 * @returns the lock, with `alive` (false when its process is gone from this host)
 */
export async function readLock(dir: string): Promise<(RunLock & { alive: boolean }) | null> {
  const text = await readFile(join(dir, LOCK_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  let lock: RunLock;
  try {
    lock = JSON.parse(text) as RunLock;
  } catch {
    lock = { pid: 0, host: '?', started: '?' };
  }
  const alive = lock.host === hostname() ? Number.isInteger(lock.pid) && lock.pid > 0 && processAlive(lock.pid) : true;
  return { ...lock, alive };
}

/** Create the parent folders one level at a time (Node's recursive mkdir can spin on /proc and similar). */
async function makeParents(flag: string, dir: string): Promise<void> {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    const info = await stat(at).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (info) {
      if (!info.isDirectory()) throw new CliError(`${flag} ${dir}: ${at} is a file, not a folder: choose another output folder`);
      break;
    }
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const m of missing) await mkdir(m).catch((e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? undefined : Promise.reject(e)));
}

function cannotWrite(flag: string, out: string, e: NodeJS.ErrnoException): CliError {
  const why = e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'EROFS' ? 'read-only file system' : e.code === 'ENOENT' ? 'its parent cannot hold folders' : (e.code ?? e.message);
  return new CliError(`${flag} ${out}: cannot create the folder (${why}): choose a folder you can write to`, { cause: e, details: { out } });
}

async function writeLock(flag: string, dir: string, out: string): Promise<void> {
  const lock: RunLock = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  let handle;
  try {
    handle = await open(join(dir, LOCK_FILE), 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`${flag} ${out}: another process claimed this run folder first: wait for it or choose another folder`, { details: { out } });
    throw cannotWrite(flag, out, e as NodeJS.ErrnoException);
  }
  await handle.writeFile(JSON.stringify(lock));
  await handle.close();
}

/** What an existing `--out` folder holds, as far as claiming it goes. */
type Occupant = (RunLock & { alive: boolean }) | 'earlier-run' | 'empty' | 'unreadable-lock';

/**
 * What occupies a folder that exists. Another claimant that just won it has a short window between its
 * `mkdir` and its lock file in which the folder is empty and unlocked: wait for a lock a little (up to ~1 s)
 * before calling the folder empty.
 * @param dir - the existing folder
 * @returns its live or dead writer's lock, `earlier-run` for other files without a lock, `empty`, or
 *   `unreadable-lock` for a lock file that stays unreadable
 */
async function occupantOf(dir: string): Promise<Occupant> {
  for (let i = 0; i < 20; i++) {
    const lock = await readLock(dir);
    // an empty or half-written lock file (host '?') is read again once its writer has filled it
    if (lock !== null && lock.host !== '?') return lock;
    const entries = await readdir(dir).catch(() => ['?']);
    // a lock that appeared since the read above is read again; other files mean an earlier run
    if (entries.length > 0 && !entries.includes(LOCK_FILE)) return 'earlier-run';
    await new Promise((r) => setTimeout(r, 50));
  }
  return (await readLock(dir)) === null ? 'empty' : 'unreadable-lock';
}

/**
 * Why a new run cannot take a folder that exists, or null when it may (the folder is empty: its lock file,
 * created exclusively, then decides between claimants).
 * @param out - the folder as the user wrote it
 * @param finalPath - its absolute path
 * @returns the reason, or null
 */
async function whyTaken(out: string, finalPath: string): Promise<string | null> {
  const info = await stat(finalPath).catch(() => null);
  if (info === null) return 'it is a link to nothing';
  if (!info.isDirectory()) return 'it is a file, not a folder';
  const occupant = await occupantOf(finalPath);
  if (occupant === 'empty') return null;
  if (occupant === 'earlier-run') return 'it holds an earlier run (runs are never overwritten)';
  if (occupant === 'unreadable-lock') return `its lock file ${LOCK_FILE} is unreadable: if no run is writing the folder, remove that file or the folder`;
  if (occupant.alive) return `a run is writing it now (pid ${occupant.pid} on ${occupant.host})`;
  const resumable = await stat(join(finalPath, CHECKPOINT_FILE)).then(() => true, () => false);
  return resumable
    ? `it holds a run that process ${occupant.pid} left unfinished: resume it with vib train --resume ${out}, or remove it`
    : `it holds a run that process ${occupant.pid} left before its first checkpoint (nothing to resume): remove it`;
}

/**
 * Claim a new run folder: its parents are created, then the folder itself with one `mkdir` (atomic: of
 * two processes, exactly one succeeds), then the lock file. An existing empty folder is claimed by its lock
 * file alone (created exclusively: again exactly one claimant wins). A folder with anything in it is never
 * reused; the message says whether it is running, finished, or was left by a dead process (and how to resume it).
 * @param out - the folder as the user wrote it
 * @param finalPath - its absolute path
 * @throws {@link CliError} when the folder exists and is not empty, or cannot be created
 */
export async function claimNewRunDir(out: string, finalPath: string): Promise<void> {
  try {
    await makeParents('--out', dirname(finalPath));
    await mkdir(finalPath);
  } catch (e) {
    if (e instanceof CliError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      const why = await whyTaken(out, finalPath);
      if (why !== null) throw new CliError(`--out ${out} already exists: ${why}; choose a new folder`, { details: { out } });
    } else {
      throw cannotWrite('--out', out, e as NodeJS.ErrnoException);
    }
  }
  await writeLock('--out', finalPath, out);
}

/**
 * Claim an existing run folder to resume it: refused while its writer is alive; a dead writer's lock and
 * temporary files are removed first.
 * @param out - the folder as the user wrote it
 * @param finalPath - its absolute path
 * @throws {@link CliError} when the folder is missing, finished, or still being written
 */
export async function claimRunDirForResume(out: string, finalPath: string): Promise<void> {
  const info = await stat(finalPath).catch(() => null);
  if (!info?.isDirectory()) throw new CliError(`--resume ${out}: no such run folder: pass the --out folder of an interrupted vib train`, { details: { out } });
  const lock = await readLock(finalPath);
  if (lock?.alive) throw new CliError(`--resume ${out}: a run is writing it now (pid ${lock.pid} on ${lock.host}): wait for it to end`, { details: { out } });
  if (lock) await rm(join(finalPath, LOCK_FILE), { force: true });
  await writeLock('--resume', finalPath, out);
  if (lock) await removeTempFiles(finalPath, lock.pid);
}

/**
 * Remove the `.tmp-<pid>` files a process left in a folder tree.
 * @param dir - the folder
 * @param pid - the dead writer
 */
export async function removeTempFiles(dir: string, pid: number): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const e of entries) {
    if (e.name.endsWith(`.tmp-${pid}`)) await rm(join(e.parentPath, e.name), { recursive: true, force: true });
  }
}

/**
 * Find the run folders next to `finalPath` that a dead process left unfinished, and remove hidden
 * `.<name>.partial-<pid>` folders of dead processes (what earlier versions left after SIGTERM or kill -9).
 * @param finalPath - the folder being claimed; its siblings are scanned
 * @returns the unfinished sibling folders (to name them to the user)
 */
export async function staleSiblings(finalPath: string): Promise<string[]> {
  const parent = dirname(finalPath);
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  const stale: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name === basename(finalPath)) continue;
    const legacy = /^\..+\.partial-(\d+)$/.exec(e.name);
    if (legacy) {
      if (!processAlive(Number(legacy[1]))) await rm(join(parent, e.name), { recursive: true, force: true });
      continue;
    }
    const lock = await readLock(join(parent, e.name));
    if (lock && !lock.alive) stale.push(join(parent, e.name));
  }
  return stale;
}

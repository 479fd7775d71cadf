import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from '../util/cli-error.js';
import { writeFileAtomic, TMP_SUFFIX } from './atomic-write.js';
import { claimNewRunDir, claimRunDirForResume, LOCK_FILE, staleSiblings } from './claim-run-dir.js';
import { onTerminationSignal, type TerminationSignal } from './signals.js';

/**
 * A run folder claimed for this process: `mkdir` of the final folder plus a lock file holding the pid.
 * Every file is written atomically (temp + rename), so the folder never holds a half-written file; the
 * lock is removed last, when the run is complete.
 */
export interface RunDir {
  /** Where files are written (the final folder). */
  readonly path: string;
  /** The final folder (same as `path`). */
  readonly finalPath: string;
  /**
   * Write a file relative to the run dir, atomically.
   * @param name - relative file name
   * @param data - text, bytes, or pieces of bytes written one after the other
   */
  write(name: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<void>;
  /**
   * A temporary folder inside the run dir for a writer that makes several files (a saved model); pass it
   * to {@link RunDir.publish} when it is complete.
   * @param name - the final name, e.g. `model`
   * @returns the temporary folder's path
   */
  staging(name: string): string;
  /**
   * Move a staged folder to its final name.
   * @param name - the name given to {@link RunDir.staging}
   */
  publish(name: string): Promise<void>;
  /** Remove the lock: the run is complete. Call once, after every file is written. */
  commit(): Promise<string>;
  /**
   * Give the folder up: delete it, or with `keep` (a resumable checkpoint is in it) remove only the lock
   * and temporary files.
   * @param keep - keep the folder's files
   */
  abort(keep?: boolean): Promise<void>;
}

/**
 * The default output directory, `./runs/<timestamp>-<command>-<pid><random>`: unique across processes
 * started in the same second.
 * @param command - command name, appended to the stamp
 * @returns a path
 */
export function defaultOutDir(command: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return join('runs', `${stamp}-${command}-${process.pid}${randomBytes(4).toString('hex')}`);
}

/**
 * Claim a run folder (a new one, or with `resume` an interrupted one) and return its writer.
 * @param out - the folder as the user wrote it
 * @param options - `resume`: take over a folder left by a dead process
 * @returns the run dir
 * @throws {@link CliError} when the folder exists (new), is being written, or cannot be created
 */
export async function createRunDir(out: string, options: { resume?: boolean } = {}): Promise<RunDir> {
  const finalPath = resolve(out);
  if (options.resume) await claimRunDirForResume(out, finalPath);
  else await claimNewRunDir(out, finalPath);
  const path = finalPath;
  let done = false;
  return {
    path,
    finalPath,
    write: (name, data) => writeFileAtomic(join(path, name), data),
    staging: (name) => join(path, `.${name}${TMP_SUFFIX}`),
    async publish(name) {
      await rm(join(path, name), { recursive: true, force: true });
      await rename(join(path, `.${name}${TMP_SUFFIX}`), join(path, name));
    },
    async commit() {
      await rm(join(path, LOCK_FILE), { force: true });
      done = true;
      return finalPath;
    },
    async abort(keep = false) {
      if (done) return;
      done = true;
      if (!keep) {
        await rm(path, { recursive: true, force: true });
        return;
      }
      const { removeTempFiles } = await import('./claim-run-dir.js');
      await removeTempFiles(path, process.pid);
      await rm(join(path, LOCK_FILE), { force: true });
    },
  };
}

/** Options of {@link withRunDir}. */
export interface WithRunDirOptions {
  /** Resume an interrupted run folder instead of claiming a new one. */
  readonly resume?: boolean;
  /** Where to name unfinished runs found next to this one. */
  readonly stderr?: { write(s: string): unknown };
  /**
   * Whether the folder holds a resumable checkpoint, so that it is kept after an interruption or a failure;
   * default never. A resumed folder is always kept: it held a run before this process took it.
   */
  readonly holdsCheckpoint?: () => boolean;
}

/**
 * Run `body` with a claimed run dir: commit on success; on an error or on SIGINT, SIGTERM or SIGHUP (which
 * abort `signal` so the body stops between batches), delete the folder, or keep it when `holdsCheckpoint()`
 * says it holds a resumable checkpoint or when the folder was resumed (with a note on `stderr` after an error). The error thrown on a signal carries the exit
 * code 128 + signal number (130, 143, 129). A second signal ends the process at once, after the same cleanup.
 * @param out - the final directory
 * @param body - writes the outputs; receives the run dir and an abort signal
 * @param options - resume, where to report stale runs, and whether to keep an interrupted folder
 * @returns the body's result and the final path
 * @throws {@link CliError} when the folder cannot be claimed, or the run was interrupted
 */
export async function withRunDir<T>(
  out: string,
  body: (dir: RunDir, signal: AbortSignal) => Promise<T>,
  options: WithRunDirOptions = {},
): Promise<{ result: T; path: string }> {
  const dir = await createRunDir(out, options.resume ? { resume: true } : {});
  for (const s of await staleSiblings(dir.finalPath)) {
    options.stderr?.write(`vib: note: ${s} was left unfinished by a process that is gone: resume it with vib train --resume ${s}, or remove it\n`);
  }
  const controller = new AbortController();
  const keep = () => options.resume === true || (options.holdsCheckpoint?.() ?? false);
  const interrupted = (sig: TerminationSignal, code: number) =>
    new CliError(
      keep()
        ? `interrupted (${sig}): the run stopped after a checkpoint; continue it with vib train --resume ${out}`
        : `interrupted (${sig}): the run was stopped and nothing was saved; run again to completion`,
      { details: { exitCode: code, signal: sig } },
    );
  let caught: { sig: TerminationSignal; code: number } | null = null;
  const off = onTerminationSignal((sig, code, second) => {
    if (second) {
      void dir.abort(keep()).finally(() => process.exit(code));
      return;
    }
    caught = { sig, code };
    controller.abort(new CliError(`interrupted (${sig})`, { details: { exitCode: code, signal: sig } }));
  });
  try {
    // a body that completes has written everything: commit, even if a signal came meanwhile
    const result = await body(dir, controller.signal);
    return { result, path: await dir.commit() };
  } catch (e) {
    if (caught === null) {
      // a failure never takes a checkpoint with it: the run up to it can be continued once the cause is fixed
      const kept = keep();
      await dir.abort(kept);
      if (kept) {
        options.stderr?.write(
          `vib: note: the run failed; its folder ${out} is kept with its checkpoint: continue it with vib train --resume ${out} once the cause below is fixed, or remove the folder\n`,
        );
      }
      throw e;
    }
  } finally {
    off();
  }
  // interrupted: the message says whether a resumable checkpoint is left (written as the run stopped)
  const { sig, code } = caught as { sig: TerminationSignal; code: number };
  await dir.abort(keep());
  throw interrupted(sig, code);
}

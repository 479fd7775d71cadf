import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from '../util/cli-error.js';

/** An output directory written atomically: everything goes to a hidden temp dir renamed into place on success. */
export interface RunDir {
  /** Where files are written now (the temp dir). */
  readonly path: string;
  /** The final directory. */
  readonly finalPath: string;
  /**
   * Write a file relative to the run dir.
   * @param name - relative file name
   * @param data - text or bytes
   */
  write(name: string, data: string | Uint8Array): Promise<void>;
  /** Move the temp dir into place; call once, after every file is written. */
  commit(): Promise<string>;
  /** Delete the temp dir (on failure or interruption). */
  abort(): Promise<void>;
}

/**
 * The default output directory, `./runs/<timestamp>`.
 * @param command - command name, appended to the stamp
 * @returns a path
 */
export function defaultOutDir(command: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return join('runs', `${stamp}-${command}`);
}

/**
 * Start an atomic output directory. Refuses a final directory that already exists and is not empty-able,
 * so a previous run is never overwritten.
 * @param out - the final directory
 * @returns the run dir
 * @throws {@link CliError} when `out` exists
 */
export async function createRunDir(out: string): Promise<RunDir> {
  const finalPath = resolve(out);
  const exists = await stat(finalPath).then(() => true, () => false);
  if (exists) throw new CliError(`--out ${out} already exists: choose a new directory (runs are never overwritten)`);
  const path = join(dirname(finalPath), `.${basename(finalPath)}.partial-${process.pid}`);
  await mkdir(path, { recursive: true });
  let done = false;
  return {
    path,
    finalPath,
    async write(name, data) {
      const file = join(path, name);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, data);
    },
    async commit() {
      await rename(path, finalPath);
      done = true;
      return finalPath;
    },
    async abort() {
      if (!done) await rm(path, { recursive: true, force: true });
      done = true;
    },
  };
}

/**
 * Run `body` with an atomic run dir: commit on success; on an error or SIGINT, delete the temp dir.
 * A SIGINT aborts through `signal`, so the training loop can stop between batches.
 * @param out - the final directory
 * @param body - writes the outputs; receives the run dir and an abort signal
 * @returns the body's result and the final path
 */
export async function withRunDir<T>(out: string, body: (dir: RunDir, signal: AbortSignal) => Promise<T>): Promise<{ result: T; path: string }> {
  const dir = await createRunDir(out);
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      void dir.abort().finally(() => process.exit(130));
      return;
    }
    controller.abort(new CliError('interrupted (SIGINT): nothing was saved; run again to completion', { details: { exitCode: 130 } }));
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await body(dir, controller.signal);
    if (controller.signal.aborted) throw controller.signal.reason;
    const path = await dir.commit();
    return { result, path };
  } catch (e) {
    await dir.abort();
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CheckpointError } from '@vib/core';

/** Why a folder or file could not be written, in words. */
function reason(e: NodeJS.ErrnoException): string {
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'EROFS') return 'read-only file system';
  if (e.code === 'ENOSPC') return 'no space left on the device';
  if (e.code === 'ENOENT') return 'its parent cannot hold folders';
  return e.code ?? e.message;
}

/**
 * Create `dir` and its missing parents one level at a time: Node's recursive mkdir spins for ever under /proc and
 * similar file systems, where a plain mkdir fails at once.
 * @param dir - the folder
 * @throws {@link CheckpointError} naming the folder, what is in the way or why it cannot be made
 */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = dir; ; ) {
    const info = await stat(at).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return null;
      throw new CheckpointError(`cannot save a model in "${dir}": cannot look at ${at} (${reason(e)}); choose a folder you can write to`, { cause: e, details: { path: dir } });
    });
    if (info) {
      if (!info.isDirectory()) throw new CheckpointError(`cannot save a model in "${dir}": ${at} is a file, not a folder; choose another folder`, { details: { path: dir } });
      break;
    }
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const m of missing) {
    await mkdir(m).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') return;
      throw new CheckpointError(`cannot save a model in "${dir}": cannot create ${m} (${reason(e)}); choose a folder you can write to`, { cause: e, details: { path: dir } });
    });
  }
}

/**
 * Write a file so that it is its old version or the complete new one, never a part: write a hidden temporary file
 * beside it, flush it to the disk, then rename it over the file (atomic within a file system). On failure the
 * temporary file is removed and the old file is left as it was.
 * @param file - the destination
 * @param data - bytes or text
 * @throws {@link CheckpointError} naming the file and why
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new CheckpointError(`cannot write ${file} (${reason(err)}): the file there, if any, is left as it was`, { cause: e, details: { file } });
  }
}

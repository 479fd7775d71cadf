import type { FileHandle } from 'node:fs/promises';
import { CheckpointError } from '@vib/core';

/** A model file opened after its checks: a regular file inside the model folder, and its size. */
export interface OpenedModelFile {
  /** The open handle (close it with `handle.close()`). */
  readonly handle: FileHandle;
  /** Its size in bytes (from `fstat` on the open handle, so it is the file that will be read). */
  readonly size: number;
  /** The path as shown in messages. */
  readonly shown: string;
}

function refuse(file: string, rule: string, message: string, cause?: unknown): never {
  throw new CheckpointError(`${file}: ${message}`, { ...(cause !== undefined ? { cause } : {}), details: { file, rule } });
}

/**
 * Open a file of a model folder only if it resolves, symlinks followed, inside the folder and is a regular
 * file (not a device, FIFO or directory): nothing outside the folder is ever opened. Node only.
 * @param realRoot - the folder's real path (`fs.realpath`)
 * @param rel - the file's path relative to the folder, already checked by `checkWeightPath`
 * @param shown - the path to name in messages (as the user wrote the folder)
 * @returns the open handle and the file's size
 * @throws {@link CheckpointError} with rule `missing`, `path-inside-folder` or `regular-file`
 */
export async function openModelFile(realRoot: string, rel: string, shown: string): Promise<OpenedModelFile> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  let real: string;
  try {
    real = await fs.realpath(path.resolve(realRoot, rel));
  } catch (cause) {
    refuse(shown, 'missing', `the file is missing (${(cause as NodeJS.ErrnoException).code ?? 'unreadable'}): the model folder is incomplete; copy the whole folder`, cause);
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    refuse(shown, 'path-inside-folder', `resolves to ${real}, outside the model folder ${realRoot} (a symlink escape): refusing to read it`);
  }
  const pre = await fs.stat(real);
  if (!pre.isFile()) refuse(shown, 'regular-file', 'is not a regular file (a device, FIFO or directory): a model folder holds only plain files');
  // O_NONBLOCK: should the path be swapped for a FIFO after the check, open returns instead of hanging.
  const handle = await fs.open(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    refuse(shown, 'regular-file', 'is not a regular file (a device, FIFO or directory): a model folder holds only plain files');
  }
  return { handle, size: st.size, shown };
}

/**
 * Read exactly `size` bytes from an opened model file and close it; a file that shrank meanwhile is an error.
 * @param file - what {@link openModelFile} returned
 * @returns the bytes
 * @throws {@link CheckpointError} with rule `size` when fewer bytes could be read
 */
export async function readOpenedModelFile(file: OpenedModelFile): Promise<Uint8Array> {
  const out = new Uint8Array(file.size);
  try {
    let at = 0;
    while (at < file.size) {
      const { bytesRead } = await file.handle.read(out, at, file.size - at, at);
      if (bytesRead === 0) refuse(file.shown, 'size', `ended after ${at} of ${file.size} bytes while being read: the file changed; copy the folder again`);
      at += bytesRead;
    }
  } finally {
    await file.handle.close();
  }
  return out;
}

/**
 * Open, check and read one model-folder file whose size is bounded by `maxBytes` (model.json).
 * @param realRoot - the folder's real path
 * @param rel - path relative to it
 * @param shown - path to name in messages
 * @param maxBytes - refuse a larger file before reading it
 * @returns the bytes
 * @throws {@link CheckpointError} on a missing, escaping, irregular or oversized file
 */
export async function readBoundedModelFile(realRoot: string, rel: string, shown: string, maxBytes: number): Promise<Uint8Array> {
  const f = await openModelFile(realRoot, rel, shown);
  if (f.size > maxBytes) {
    await f.handle.close();
    refuse(shown, 'size-limit', `${f.size} bytes, more than the ${maxBytes}-byte limit for this file: it is not a model file`);
  }
  return readOpenedModelFile(f);
}

import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/** Suffix of a file being written by this process (`<name>.tmp-<pid>`); a dead process's leftovers are recognised by it. */
export const TMP_SUFFIX = `.tmp-${process.pid}`;

/** Write all of `bytes` at the handle's position (a write may take fewer bytes than it was given). */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
    if (bytesWritten <= 0) throw new Error(`writing stopped after ${done} of ${bytes.length} bytes`);
    done += bytesWritten;
  }
}

/**
 * Write a file so that it is either absent, its old version, or complete: write `<file>.tmp-<pid>`,
 * flush it to disk, then rename it over `file` (rename is atomic within a file system).
 * @param file - the destination
 * @param data - text, bytes, or pieces of bytes written one after the other (none joined in memory first)
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}${TMP_SUFFIX}`);
  const handle = await open(tmp, 'w');
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else for (const piece of data) await writeAll(handle, piece);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  await rename(tmp, file);
}

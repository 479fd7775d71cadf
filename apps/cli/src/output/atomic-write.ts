import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/** Suffix of a file being written by this process (`<name>.tmp-<pid>`); a dead process's leftovers are recognised by it. */
export const TMP_SUFFIX = `.tmp-${process.pid}`;

/**
 * Write a file so that it is either absent, its old version, or complete: write `<file>.tmp-<pid>`,
 * flush it to disk, then rename it over `file` (rename is atomic within a file system).
 * @param file - the destination
 * @param data - text or bytes
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}${TMP_SUFFIX}`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  await rename(tmp, file);
}

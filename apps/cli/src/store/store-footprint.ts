import { existsSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** What opening a run store for writing creates: the file when it is missing, and the folders above it that are missing. */
export interface StoreFootprint {
  /** The store file. */
  readonly file: string;
  /** Whether the file did not exist before the store was opened. */
  readonly createsFile: boolean;
  /** The missing folders above the file, deepest first. */
  readonly createsFolders: readonly string[];
}

/**
 * Note what opening a store at `file` will create, before it is opened.
 * @param file - the store file
 * @returns the file and folders that do not exist yet
 * @example
 * ```ts
 * storeFootprint('/tmp/new/runs.sqlite'); // { file: '/tmp/new/runs.sqlite', createsFile: true, createsFolders: ['/tmp/new'] }
 * ```
 */
export function storeFootprint(file: string): StoreFootprint {
  const createsFolders: string[] = [];
  for (let dir = dirname(resolve(file)); !existsSync(dir) && dirname(dir) !== dir; dir = dirname(dir)) createsFolders.push(dir);
  return { file, createsFile: !existsSync(file), createsFolders };
}

/**
 * Remove what opening a store created (call it once the store is closed and holds no run): the file with
 * its SQLite side files, then each created folder while it is empty. A store that existed before is left alone.
 * @param footprint - from {@link storeFootprint}, taken before the store was opened
 */
export function removeStoreFootprint(footprint: StoreFootprint): void {
  if (!footprint.createsFile) return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${footprint.file}${suffix}`, { force: true });
  for (const dir of footprint.createsFolders) {
    try {
      rmdirSync(dir);
    } catch {
      return; // something else is in it now
    }
  }
}

import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { StoreError } from './store-error.js';
import { retryWhileBusy } from './busy-retry.js';

/** What a store path holds, found without writing to it (see {@link inspectStoreFile}). */
export type StoreFileState =
  /** No file there. */
  | { readonly kind: 'missing' }
  /** A 0-byte file, or an SQLite database without tables or schema version: a writer may make it a store. */
  | { readonly kind: 'empty' }
  /** A vib run store at this schema version (at most {@link SCHEMA_VERSION}). */
  | { readonly kind: 'store'; readonly version: number };

const WHAT_TO_DO = "pass --store with a vib store's path, or a new file's";

const tablesByVersion = new Map<number, readonly string[]>();

/**
 * The tables a vib store has at a schema version, found by applying the migrations to an empty in-memory
 * database (so they never drift from {@link MIGRATIONS}).
 * @param version - a schema version from 1 to {@link SCHEMA_VERSION}
 * @returns the table names, sorted
 */
export function storeTables(version: number): readonly string[] {
  let tables = tablesByVersion.get(version);
  if (tables === undefined) {
    const db = new Database(':memory:');
    try {
      migrate(db, ':memory:', version);
      tables = tableNames(db);
    } finally {
      db.close();
    }
    tablesByVersion.set(version, tables);
  }
  return tables;
}

function tableNames(db: Database.Database): string[] {
  const rows = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[];
  return rows.map((r) => r.name);
}

const notAStore = (file: string, why: string) =>
  new StoreError('E_NOT_A_STORE', `${file} is an SQLite database but not a vib run store (${why}): ${WHAT_TO_DO}`, { details: { file } });

/**
 * Find out what a store path holds, opening it read-only (its bytes are never changed), so that a file that
 * is not a vib run store is refused before anything is written to it.
 * @param file - the store path
 * @param busyTimeoutMs - how long to wait for another process's lock, ms
 * @returns missing, empty (may become a store) or a store at its schema version
 * @throws {@link StoreError} `E_NOT_A_STORE` for a folder, a file that is not SQLite, or an SQLite database
 *   whose tables or schema version are not vib's; `E_STORE_TOO_NEW` for a store of a newer vib;
 *   `E_STORE_OPEN` when the file cannot be read
 * @example
 * ```ts
 * inspectStoreFile('/tmp/no-such-file.sqlite'); // { kind: 'missing' }
 * ```
 */
export function inspectStoreFile(file: string, busyTimeoutMs = 10_000): StoreFileState {
  const info = statSync(file, { throwIfNoEntry: false });
  if (info === undefined) return { kind: 'missing' };
  if (info.isDirectory()) throw new StoreError('E_NOT_A_STORE', `${file} is a folder, not a vib run store file: ${WHAT_TO_DO}`, { details: { file } });
  if (info.size === 0) return { kind: 'empty' };
  let version: number;
  let tables: string[];
  try {
    [version, tables] = retryWhileBusy(() => {
      const db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
      try {
        // one read transaction: a writer creating the store meanwhile is seen wholly before or after its migration
        return db.transaction(() => [db.pragma('user_version', { simple: true }) as number, tableNames(db)] as const)();
      } finally {
        db.close();
      }
    }, busyTimeoutMs);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'SQLITE_NOTADB') {
      throw new StoreError('E_NOT_A_STORE', `${file} is not an SQLite database, so not a vib run store: ${WHAT_TO_DO}`, { cause: e, details: { file } });
    }
    throw new StoreError('E_STORE_OPEN', `cannot read run store ${file}: ${(e as Error).message}: check the path (--store or VIB_STORE) and its permissions`, { cause: e, details: { file } });
  }
  if (tables.length === 0 && version === 0) return { kind: 'empty' };
  if (tables.length > 0 && !tables.includes('runs')) throw notAStore(file, `it has tables ${tables.join(', ')}`);
  if (version > SCHEMA_VERSION) {
    throw new StoreError('E_STORE_TOO_NEW', `run store ${file} has schema version ${version}, newer than this vib (${SCHEMA_VERSION}): upgrade vib or use another --store`, { details: { file, version } });
  }
  if (version === 0) throw notAStore(file, `it has tables ${tables.join(', ')} but no vib schema version (PRAGMA user_version is 0)`);
  const want = storeTables(version);
  if (tables.join() !== want.join()) {
    throw notAStore(file, `it has tables ${tables.join(', ') || '(none)'}; a vib store of schema version ${version} has ${want.join(', ')}`);
  }
  return { kind: 'store', version };
}

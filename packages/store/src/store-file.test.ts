import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { RunStore } from './run-store.js';
import { StoreError } from './store-error.js';
import { inspectStoreFile, storeTables } from './store-file.js';

const dir = mkdtempSync(join(tmpdir(), 'vib-store-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const PASS = "pass --store with a vib store's path, or a new file's";

/** An SQLite database of another program: one table `foo`, in rollback-journal mode. */
function foreignDb(name: string): string {
  const file = join(dir, name);
  const db = new Database(file);
  db.exec("CREATE TABLE foo (x INTEGER); INSERT INTO foo VALUES (1), (2)");
  db.close();
  return file;
}

/** The error `body` throws (failing when it throws none). */
function caught(body: () => unknown): StoreError {
  try {
    body();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('opening a file that is not a vib store', () => {
  it.each([['for writing', {}], ['read-only', { readonly: true }], ['must exist', { mustExist: true }]] as const)('refuses another program\'s SQLite database %s, leaving its bytes and folder as they were', (_, options) => {
    const file = foreignDb(`foreign-${Object.keys(options).join() || 'write'}.sqlite`);
    const before = sha256(file);
    const e = caught(() => RunStore.open(file, options));
    expect(e.code).toBe('E_NOT_A_STORE');
    expect(e.message).toBe(`${file} is an SQLite database but not a vib run store (it has tables foo): ${PASS}`);
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}-wal`) || existsSync(`${file}-shm`) || existsSync(`${file}-journal`)).toBe(false);
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()).toEqual([{ name: 'foo' }]);
    db.close();
  });

  it('refuses a file that is not SQLite at all, unchanged', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(20));
    const before = sha256(file);
    const e = caught(() => RunStore.open(file));
    expect(e.code).toBe('E_NOT_A_STORE');
    expect(e.message).toBe(`${file} is not an SQLite database, so not a vib run store: ${PASS}`);
    expect(sha256(file)).toBe(before);
    expect(caught(() => RunStore.open(file, { readonly: true })).code).toBe('E_NOT_A_STORE');
  });

  it('refuses a folder', () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    expect(caught(() => RunStore.open(folder)).message).toBe(`${folder} is a folder, not a vib run store file: ${PASS}`);
  });

  it('refuses vib-like tables without the schema version, and a vib store with tables that are not vib\'s', () => {
    const unmarked = join(dir, 'unmarked.sqlite');
    const db = new Database(unmarked);
    db.exec('CREATE TABLE runs (id TEXT); CREATE TABLE epochs (run_id TEXT)');
    db.close();
    const before = sha256(unmarked);
    expect(caught(() => RunStore.open(unmarked)).message)
      .toBe(`${unmarked} is an SQLite database but not a vib run store (it has tables epochs, runs but no vib schema version (PRAGMA user_version is 0)): ${PASS}`);
    expect(sha256(unmarked)).toBe(before);

    const mixed = join(dir, 'mixed.sqlite');
    RunStore.open(mixed).close();
    const m = new Database(mixed);
    m.exec('CREATE TABLE foo (x)');
    m.close();
    expect(caught(() => RunStore.open(mixed, { readonly: true })).message)
      .toBe(`${mixed} is an SQLite database but not a vib run store (it has tables artifacts, epochs, foo, runs, tags; a vib store of schema version ${SCHEMA_VERSION} has artifacts, epochs, runs, tags): ${PASS}`);
  });
});

describe('missing and empty files', () => {
  it('read-only and must-exist opens refuse a missing file and create nothing', () => {
    const file = join(dir, 'sub', 'typo.sqlite');
    for (const options of [{ readonly: true }, { mustExist: true }]) {
      const e = caught(() => RunStore.open(file, options));
      expect(e.code).toBe('E_NO_STORE');
      expect(e.message).toBe(`no run store at ${file}: nothing has been recorded there yet (train with --store ${file} first, or check the path)`);
    }
    expect(existsSync(join(dir, 'sub'))).toBe(false);
  });

  it('a writer makes a 0-byte file or an SQLite database without tables a store; a reader refuses them', () => {
    const zero = join(dir, 'zero.sqlite');
    writeFileSync(zero, '');
    expect(caught(() => RunStore.open(zero, { readonly: true })).message)
      .toBe(`no run store at ${zero} (the file is empty): nothing has been recorded there yet (train with --store ${zero} first, or check the path)`);
    expect(readFileSync(zero).length).toBe(0);
    const blank = join(dir, 'blank.sqlite');
    const db = new Database(blank);
    db.exec('CREATE TABLE t (x); DROP TABLE t');
    db.close();
    expect(inspectStoreFile(blank)).toEqual({ kind: 'empty' });
    for (const file of [zero, blank]) {
      const store = RunStore.open(file);
      store.startRun({ command: 'train', argv: [] });
      store.close();
      expect(inspectStoreFile(file)).toEqual({ kind: 'store', version: SCHEMA_VERSION });
    }
  });
});

describe('vib stores', () => {
  it('knows the tables of each schema version from the migrations', () => {
    expect(storeTables(1)).toEqual(['epochs', 'runs']);
    expect(storeTables(SCHEMA_VERSION)).toEqual(['artifacts', 'epochs', 'runs', 'tags']);
  });

  it('a read-only open lists a store without changing its bytes, and finds dead runs without marking them', () => {
    const file = join(dir, 'ro.sqlite');
    const w = RunStore.open(file, { now: () => 0 });
    const id = w.startRun({ command: 'train', argv: [], host: 'other-host', pid: 1 });
    w.close();
    const before = sha256(file);
    const r = RunStore.open(file, { readonly: true, now: () => 3_600_000, staleAfterMs: 60_000 });
    expect(r.list().map((x) => [x.id, x.status])).toEqual([[id, 'running']]);
    expect(r.deadRuns().map((d) => d.id)).toEqual([id]);
    expect(() => r.startRun({ command: 'train', argv: [] })).toThrow(/readonly/);
    r.close();
    expect(sha256(file)).toBe(before);
  });

  it('a read-only open refuses an older schema (it cannot migrate); a writer migrates it', () => {
    const file = join(dir, 'v1.sqlite');
    const db = new Database(file);
    migrate(db, file, 1);
    db.close();
    const e = caught(() => RunStore.open(file, { readonly: true }));
    expect(e.code).toBe('E_STORE_OLD');
    expect(e.message).toBe(`run store ${file} has schema version 1, older than this vib (${SCHEMA_VERSION}), and was opened read-only: upgrade it by opening it once for writing (e.g. vib runs ls --store ${file})`);
    RunStore.open(file, { mustExist: true }).close();
    expect(inspectStoreFile(file)).toEqual({ kind: 'store', version: SCHEMA_VERSION });
  });
});

import type Database from 'better-sqlite3';
import { StoreError } from './store-error.js';

/** One schema step: the SQL that takes a store from version `version − 1` to `version`. */
export interface Migration {
  /** The schema version after this step (PRAGMA user_version). */
  readonly version: number;
  /** What the step adds, for the changelog and error messages. */
  readonly description: string;
  /** DDL/DML run inside one transaction. */
  readonly sql: string;
}

/**
 * Every schema step, oldest first. A store records its version in `PRAGMA user_version`; opening it applies
 * the missing steps in one transaction each. Append new steps; never edit a released one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs and their per-epoch metrics',
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        command TEXT NOT NULL,
        argv TEXT NOT NULL,
        config TEXT,
        seed INTEGER,
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        summary TEXT,
        error TEXT
      );
      CREATE TABLE epochs (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        metrics TEXT NOT NULL,
        PRIMARY KEY (run_id, epoch)
      );
      CREATE INDEX runs_started ON runs(started_at);`,
  },
  {
    version: 2,
    description: 'provenance (git revision, versions, backend, host, pid), tags, artifacts, sweep points',
    sql: `
      ALTER TABLE runs ADD COLUMN git_rev TEXT;
      ALTER TABLE runs ADD COLUMN versions TEXT;
      ALTER TABLE runs ADD COLUMN backend TEXT;
      ALTER TABLE runs ADD COLUMN tier TEXT;
      ALTER TABLE runs ADD COLUMN host TEXT;
      ALTER TABLE runs ADD COLUMN pid INTEGER;
      ALTER TABLE runs ADD COLUMN dataset TEXT;
      ALTER TABLE runs ADD COLUMN beta REAL;
      ALTER TABLE runs ADD COLUMN parent_id TEXT;
      ALTER TABLE runs ADD COLUMN point_id TEXT;
      UPDATE runs SET dataset = json_extract(config, '$.dataset.name'), beta = json_extract(config, '$.beta')
        WHERE config IS NOT NULL AND json_valid(config);
      CREATE TABLE tags (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_id, name)
      );
      CREATE TABLE artifacts (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        PRIMARY KEY (run_id, name)
      );
      CREATE INDEX runs_point ON runs(point_id, status);
      CREATE INDEX runs_status ON runs(status, host);`,
  },
  {
    version: 3,
    description: 'heartbeats (heartbeat_at), so a run that died on another host is found; each sweep point completed once',
    sql: `
      ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER;
      UPDATE runs SET heartbeat_at = COALESCE(ended_at, started_at);
      UPDATE runs SET command = 'sweep-point-duplicate'
        WHERE command = 'sweep-point' AND status = 'completed' AND point_id IS NOT NULL
          AND rowid NOT IN (SELECT MIN(rowid) FROM runs WHERE command = 'sweep-point' AND status = 'completed' AND point_id IS NOT NULL GROUP BY point_id);
      CREATE UNIQUE INDEX runs_point_once ON runs(point_id) WHERE command = 'sweep-point' AND status = 'completed';`,
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Bring a database to a schema version by applying the missing migrations, each in its own transaction.
 * @param db - an open better-sqlite3 database
 * @param file - the file name, for error messages
 * @param target - the version to reach (default: the newest)
 * @returns the versions applied, oldest first
 * @throws {@link StoreError} when the file's version is newer than this code knows
 */
export function migrate(db: Database.Database, file: string, target: number = SCHEMA_VERSION): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError('E_STORE_TOO_NEW', `run store ${file} has schema version ${current}, newer than this vib (${SCHEMA_VERSION}): upgrade vib or use another --store`);
  }
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    // IMMEDIATE takes the write lock first, so two processes opening an old store do not both migrate it.
    db.transaction(() => {
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    }).immediate();
  }
  return applied;
}

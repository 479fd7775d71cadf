import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { STALE_AFTER_MS } from './heartbeat.js';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { pidAlive } from './pid-alive.js';
import { filterSql } from './run-filter.js';
import { toRecord, type RunRow } from './run-row.js';
import type { EpochRecord, NewRun, RunEnd, RunFilter, RunRecord } from './run-types.js';
import { retryWhileBusy } from './busy-retry.js';
import { StoreError } from './store-error.js';
import { inspectStoreFile } from './store-file.js';

/** Options of {@link RunStore.open}. */
export interface OpenStoreOptions {
  /** How long a writer waits for another process's lock before failing, ms (default 10 000). */
  readonly busyTimeoutMs?: number;
  /**
   * Open read-only: no migration and no reconciling; a missing or empty file, or a store of an older schema
   * version, is refused (default false).
   */
  readonly readonly?: boolean;
  /**
   * Refuse a missing or empty file instead of making it a new store (default false; implied by `readonly`).
   * Commands that only read or delete runs set it, so a mistyped path creates nothing.
   */
  readonly mustExist?: boolean;
  /**
   * A `running` run whose last heartbeat is older than this is marked interrupted, whatever host it ran on
   * (default {@link STALE_AFTER_MS}; a run of this host whose process is alive is never marked).
   */
  readonly staleAfterMs?: number;
  /** The clock, epoch ms (default `Date.now`; tests pass a fake one). */
  readonly now?: () => number;
}

/** How the store marks a run it found without heartbeats (a later heartbeat of that run revives it). */
const STALE_PREFIX = 'no heartbeat';

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/**
 * The run store: one SQLite file in WAL mode, safe for concurrent writers in several processes (each write is
 * one short transaction; a busy writer waits up to the busy timeout). Every write is atomic, so a crash leaves
 * the file consistent, and a run whose process died shows as `interrupted` the next time the store is opened.
 * @example
 * ```ts
 * const store = RunStore.open('/tmp/runs.sqlite');
 * const id = store.startRun({ command: 'train', argv: ['train'], seed: 0 });
 * store.logEpoch(id, 1, { loss: 0.5 });
 * store.finishRun(id, { status: 'completed', summary: { accuracy: 0.9 } });
 * store.close();
 * ```
 */
export class RunStore {
  private constructor(
    /** The underlying database (for advanced queries; prefer the methods). */
    readonly db: Database.Database,
    /** The store file. */
    readonly file: string,
    private readonly staleAfterMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Open a store file, switch it to WAL and migrate it to the current schema, creating it when missing (unless
   * `mustExist` or `readonly`). An existing file is first inspected read-only, so one that is not a vib store
   * (another program's SQLite database, a file that is not SQLite) is refused with its bytes unchanged.
   * @param file - the SQLite file
   * @param options - busy timeout, read-only, must exist
   * @returns the store; close it when done
   * @throws {@link StoreError} `E_NOT_A_STORE` when the file is not a vib store; `E_NO_STORE` when it is missing
   *   or empty and `mustExist` or `readonly` is set; `E_STORE_OLD` when it is read-only and of an older schema;
   *   `E_STORE_TOO_NEW` for a newer schema; `E_STORE_OPEN` when it cannot be opened
   */
  static open(file: string, options: OpenStoreOptions = {}): RunStore {
    const readonly = options.readonly ?? false;
    const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    const found = inspectStoreFile(file, busyTimeoutMs);
    if (found.kind !== 'store' && (readonly || options.mustExist)) {
      const empty = found.kind === 'empty' ? ' (the file is empty)' : '';
      throw new StoreError('E_NO_STORE', `no run store at ${file}${empty}: nothing has been recorded there yet (train with --store ${file} first, or check the path)`, { details: { file } });
    }
    if (found.kind === 'store' && readonly && found.version < SCHEMA_VERSION) {
      throw new StoreError('E_STORE_OLD', `run store ${file} has schema version ${found.version}, older than this vib (${SCHEMA_VERSION}), and was opened read-only: upgrade it by opening it once for writing (e.g. vib runs ls --store ${file})`, { details: { file, version: found.version } });
    }
    let db: Database.Database;
    try {
      if (found.kind === 'missing') mkdirSync(dirname(file), { recursive: true });
      // the busy handler waits out most locks; the opens SQLite refuses at once are tried again (busy-retry.ts)
      db = retryWhileBusy(() => {
        const opened = new Database(file, { readonly, fileMustExist: found.kind !== 'missing', timeout: busyTimeoutMs });
        try {
          if (!readonly) {
            opened.pragma('journal_mode = WAL');
            opened.pragma('synchronous = NORMAL');
          }
          opened.pragma('foreign_keys = ON');
          if (!readonly) migrate(opened, file);
          return opened;
        } catch (e) {
          opened.close();
          throw e;
        }
      }, busyTimeoutMs);
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError('E_STORE_OPEN', `cannot open run store ${file}: ${(e as Error).message}: check the path (--store or VIB_STORE) and that it is a vib store`, { cause: e });
    }
    const store = new RunStore(db, file, options.staleAfterMs ?? STALE_AFTER_MS, options.now ?? Date.now);
    if (!readonly) store.reconcile();
    return store;
  }

  /**
   * Record a new run with status `running`.
   * @param run - what the command knows at start
   * @returns the new run's id (12 hex digits)
   */
  startRun(run: NewRun): string {
    const id = randomBytes(6).toString('hex');
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO runs (id, command, argv, config, seed, status, started_at, git_rev, versions, backend, tier, host, pid, dataset, beta, parent_id, point_id, heartbeat_at)
        VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        id, run.command, JSON.stringify(run.argv), json(run.config), run.seed ?? null, run.startedAt ?? this.now(), run.gitRev ?? null, json(run.versions ?? {}),
        run.backend ?? null, run.tier ?? null, run.host ?? hostname(), run.pid ?? process.pid, run.dataset ?? null, run.beta ?? null,
        run.parentId ?? null, run.pointId ?? null, this.now());
      const tag = this.db.prepare('INSERT OR REPLACE INTO tags (run_id, name, value) VALUES (?, ?, ?)');
      for (const [name, value] of Object.entries(run.tags ?? {})) tag.run(id, name, value);
    }).immediate();
    return id;
  }

  /**
   * Update fields known only after start (backend, tier, config).
   * @param id - run id
   * @param fields - the fields to set
   */
  updateRun(id: string, fields: { backend?: string; tier?: string; config?: unknown; dataset?: string; beta?: number | null; seed?: number | null }): void {
    const sets: string[] = [];
    const params: unknown[] = [];
    const add = (col: string, v: unknown) => { sets.push(`${col} = ?`); params.push(v); };
    if (fields.backend !== undefined) add('backend', fields.backend);
    if (fields.tier !== undefined) add('tier', fields.tier);
    if (fields.config !== undefined) add('config', JSON.stringify(fields.config));
    if (fields.dataset !== undefined) add('dataset', fields.dataset);
    if (fields.beta !== undefined) add('beta', fields.beta);
    if (fields.seed !== undefined) add('seed', fields.seed);
    if (sets.length > 0) this.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
  }

  /**
   * Record (or replace) one epoch's metrics; this is also a heartbeat.
   * @param id - run id
   * @param epoch - 1-based epoch
   * @param metrics - JSON-able numbers
   */
  logEpoch(id: string, epoch: number, metrics: Readonly<Record<string, unknown>>): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT OR REPLACE INTO epochs (run_id, epoch, metrics) VALUES (?, ?, ?)').run(id, epoch, JSON.stringify(metrics));
      this.heartbeat(id);
    })();
  }

  /**
   * Say that a run is alive (see `startHeartbeat` for a timer). A run the store had marked interrupted for
   * want of heartbeats (its host was slow or cut off, not dead) is `running` again.
   * @param id - run id
   */
  heartbeat(id: string): void {
    this.db.prepare(`UPDATE runs SET heartbeat_at = ?, status = 'running', ended_at = NULL, error = NULL
      WHERE id = ? AND (status = 'running' OR (status = 'interrupted' AND error LIKE '${STALE_PREFIX}%'))`).run(this.now(), id);
  }

  /**
   * Record a file the run wrote.
   * @param id - run id
   * @param name - what it is (`dir`, `model`, `metrics`, ...)
   * @param path - absolute path
   */
  addArtifact(id: string, name: string, path: string): void {
    this.db.prepare('INSERT OR REPLACE INTO artifacts (run_id, name, path) VALUES (?, ?, ?)').run(id, name, path);
  }

  /**
   * End a run: status, end time, summary or error.
   * @param id - run id
   * @param end - how it ended
   */
  finishRun(id: string, end: RunEnd): void {
    this.db.prepare('UPDATE runs SET status = ?, ended_at = ?, summary = COALESCE(?, summary), error = ?, heartbeat_at = ? WHERE id = ?')
      .run(end.status, end.endedAt ?? this.now(), json(end.summary), end.error ?? null, this.now(), id);
  }

  /**
   * The `running` runs that are dead, with the reason, without marking them: on this host, those whose process
   * no longer exists (a kill or a crash); on any host, those without a heartbeat for longer than the stale limit
   * (except runs of this host whose process is alive). Works on a read-only store too.
   * @returns the runs {@link RunStore.reconcile} would mark `interrupted`
   */
  deadRuns(): { readonly id: string; readonly why: string }[] {
    const here = hostname();
    const now = this.now();
    const rows = this.db.prepare("SELECT id, pid, host, COALESCE(heartbeat_at, started_at) AS beat FROM runs WHERE status = 'running'").all() as { id: string; pid: number | null; host: string | null; beat: number }[];
    const dead: { id: string; why: string }[] = [];
    for (const r of rows) {
      const local = r.host === here && r.pid !== null;
      if (local && r.pid === process.pid) continue;
      if (local && !pidAlive(r.pid!)) dead.push({ id: r.id, why: `process ${r.pid} on ${here} ended without finishing the run (killed or crashed)` });
      else if (!local && now - r.beat > this.staleAfterMs) {
        const mins = ((now - r.beat) / 60_000).toFixed(1);
        dead.push({ id: r.id, why: `${STALE_PREFIX} from ${r.host ?? 'an unknown host'} (pid ${r.pid ?? '?'}) since ${new Date(r.beat).toISOString()}, ${mins} min, past the ${(this.staleAfterMs / 60_000).toFixed(1)} min limit: its process died or lost the store` });
      }
    }
    return dead;
  }

  /**
   * Mark the {@link RunStore.deadRuns | dead} `running` runs as `interrupted`, with the reason.
   * @returns how many runs were marked
   */
  reconcile(): number {
    const now = this.now();
    const marks = this.deadRuns();
    if (marks.length === 0) return 0;
    const mark = this.db.prepare("UPDATE runs SET status = 'interrupted', ended_at = ?, error = ? WHERE id = ? AND status = 'running'");
    this.db.transaction(() => {
      for (const m of marks) mark.run(now, m.why, m.id);
    })();
    return marks.length;
  }

  /**
   * Resolve a full id or a unique prefix of one.
   * @param idOrPrefix - id or prefix (at least 4 characters)
   * @returns the full id
   * @throws {@link StoreError} when no run or several runs match
   */
  resolveId(idOrPrefix: string): string {
    if (!/^[0-9a-f]{4,}$/.test(idOrPrefix)) throw new StoreError('E_NO_SUCH_RUN', `"${idOrPrefix}" is not a run id: give an id from \`vib runs ls\` (or at least its first 4 hex digits)`);
    const rows = this.db.prepare("SELECT id FROM runs WHERE id LIKE ? || '%' LIMIT 2").all(idOrPrefix) as { id: string }[];
    if (rows.length === 0) throw new StoreError('E_NO_SUCH_RUN', `no run ${idOrPrefix} in ${this.file}: list runs with \`vib runs ls\` (and check --store)`);
    if (rows.length > 1) throw new StoreError('E_AMBIGUOUS_RUN', `run id prefix ${idOrPrefix} matches several runs (${rows.map((r) => r.id).join(', ')}, ...): give more digits`);
    return rows[0]!.id;
  }

  /**
   * One run with its tags and artifacts.
   * @param idOrPrefix - id or unique prefix
   * @returns the run
   * @throws {@link StoreError} when it does not exist
   */
  get(idOrPrefix: string): RunRecord {
    const id = this.resolveId(idOrPrefix);
    return this.withDetails([this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow])[0]!;
  }

  /**
   * A run's per-epoch metrics, in epoch order.
   * @param id - run id
   * @returns the epochs
   */
  epochs(id: string): EpochRecord[] {
    const rows = this.db.prepare('SELECT epoch, metrics FROM epochs WHERE run_id = ? ORDER BY epoch').all(id) as { epoch: number; metrics: string }[];
    return rows.map((r) => ({ epoch: r.epoch, metrics: JSON.parse(r.metrics) as Record<string, unknown> }));
  }

  /**
   * Runs matching a filter, newest first.
   * @param filter - tags, dataset, β range, status, command, parent, limit
   * @returns the runs
   * @throws {@link StoreError} on a bad filter
   */
  list(filter: RunFilter = {}): RunRecord[] {
    const { where, params } = filterSql(filter);
    const limit = filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : '';
    return this.withDetails(this.db.prepare(`SELECT * FROM runs ${where} ORDER BY started_at DESC, rowid DESC${limit}`).all(...params) as RunRow[]);
  }

  /**
   * The completed run of a sweep grid point, if any: a `sweep-point` run, the record a sweep collects (a
   * worker's own log of training the point, `worker-point`, does not count).
   * @param pointId - the point's deterministic id
   * @returns the newest completed `sweep-point` run with that point id
   */
  completedPoint(pointId: string): RunRecord | undefined {
    const row = this.db.prepare("SELECT * FROM runs WHERE point_id = ? AND status = 'completed' AND command = 'sweep-point' ORDER BY ended_at DESC LIMIT 1").get(pointId) as RunRow | undefined;
    return row ? this.withDetails([row])[0] : undefined;
  }

  /**
   * Delete runs with their epochs, tags and artifact records (not the files).
   * @param ids - ids or unique prefixes
   * @returns the full ids deleted
   * @throws {@link StoreError} when one does not exist (nothing is deleted then)
   */
  remove(ids: readonly string[]): string[] {
    const full = ids.map((i) => this.resolveId(i));
    const del = this.db.prepare('DELETE FROM runs WHERE id = ?');
    this.db.transaction(() => { for (const id of full) del.run(id); }).immediate();
    return full;
  }

  /** Close the database (checkpointing the WAL when this is the last connection). */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private withDetails(rows: RunRow[]): RunRecord[] {
    const tagQ = this.db.prepare('SELECT name, value FROM tags WHERE run_id = ? ORDER BY name');
    const artQ = this.db.prepare('SELECT name, path FROM artifacts WHERE run_id = ? ORDER BY name');
    return rows.map((row) => {
      const tags = Object.fromEntries((tagQ.all(row.id) as { name: string; value: string }[]).map((t) => [t.name, t.value]));
      const artifacts = Object.fromEntries((artQ.all(row.id) as { name: string; path: string }[]).map((a) => [a.name, a.path]));
      return toRecord(row, tags, artifacts);
    });
  }
}

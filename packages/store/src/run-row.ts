import type { RunRecord, RunStatus } from './run-types.js';

/** A `runs` row as SQLite returns it. */
export interface RunRow {
  id: string;
  command: string;
  argv: string;
  config: string | null;
  seed: number | null;
  status: string;
  started_at: number;
  ended_at: number | null;
  summary: string | null;
  error: string | null;
  git_rev: string | null;
  versions: string | null;
  backend: string | null;
  tier: string | null;
  host: string | null;
  pid: number | null;
  dataset: string | null;
  beta: number | null;
  parent_id: string | null;
  point_id: string | null;
  heartbeat_at: number | null;
}

const parse = <T>(text: string | null, fallback: T): T => (text === null ? fallback : (JSON.parse(text) as T));

/**
 * Turn a row plus its tags and artifacts into a {@link RunRecord}.
 * @param row - the runs row
 * @param tags - its tags
 * @param artifacts - its artifacts
 * @returns the record
 */
export function toRecord(row: RunRow, tags: Record<string, string>, artifacts: Record<string, string>): RunRecord {
  return {
    id: row.id,
    command: row.command,
    argv: parse<string[]>(row.argv, []),
    config: parse<unknown>(row.config, null),
    seed: row.seed,
    dataset: row.dataset,
    beta: row.beta,
    gitRev: row.git_rev,
    versions: parse<Record<string, string>>(row.versions, {}),
    backend: row.backend,
    tier: row.tier,
    host: row.host,
    pid: row.pid,
    status: row.status as RunStatus,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    summary: parse<Record<string, unknown> | null>(row.summary, null),
    error: row.error,
    parentId: row.parent_id,
    pointId: row.point_id,
    heartbeatAt: row.heartbeat_at,
    tags,
    artifacts,
  };
}

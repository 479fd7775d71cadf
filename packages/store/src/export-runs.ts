import type { RunStore } from './run-store.js';
import type { RunFilter, RunRecord } from './run-types.js';
import { StoreError } from './store-error.js';

/** Export formats of {@link exportRuns}. */
export type ExportFormat = 'csv' | 'jsonl';

const BASE_COLUMNS = ['id', 'command', 'status', 'dataset', 'beta', 'seed', 'backend', 'tier', 'host', 'gitRev', 'startedAt', 'endedAt', 'tags'] as const;

/**
 * Quote a CSV field when it needs it (RFC 4180: comma, quote or line break inside).
 * @param value - any value; null and undefined become empty
 * @returns the field text
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function baseValue(run: RunRecord, column: (typeof BASE_COLUMNS)[number]): unknown {
  if (column === 'startedAt') return new Date(run.startedAt).toISOString();
  if (column === 'endedAt') return run.endedAt === null ? null : new Date(run.endedAt).toISOString();
  if (column === 'tags') return Object.entries(run.tags).map(([k, v]) => `${k}=${v}`).join(';');
  return run[column];
}

/**
 * Export runs: CSV with one row per run (provenance columns, then every summary field as `summary.<name>`),
 * or JSON Lines with one full record per run including its per-epoch metrics.
 * @param store - the store
 * @param format - `csv` or `jsonl`
 * @param filter - which runs (default all), newest first
 * @returns the file text
 * @throws {@link StoreError} on an unknown format
 */
export function exportRuns(store: RunStore, format: ExportFormat, filter: RunFilter = {}): string {
  const runs = store.list(filter);
  if (format === 'jsonl') {
    return runs.map((r) => `${JSON.stringify({ ...r, epochs: store.epochs(r.id) })}\n`).join('');
  }
  if (format !== 'csv') throw new StoreError('E_BAD_FORMAT', `export format "${String(format)}" is not csv or jsonl: pick one of those`);
  const summaryKeys = [...new Set(runs.flatMap((r) => Object.keys(r.summary ?? {})))].sort();
  const header = [...BASE_COLUMNS, ...summaryKeys.map((k) => `summary.${k}`)];
  const lines = runs.map((r) => [...BASE_COLUMNS.map((c) => csvField(baseValue(r, c))), ...summaryKeys.map((k) => csvField(r.summary?.[k]))].join(','));
  return `${header.join(',')}\n${lines.map((l) => `${l}\n`).join('')}`;
}

import { hostname } from 'node:os';
import { RunStore, startHeartbeat } from '@vib/store';
import { fixedBeta } from '../store/run-recorder.js';
import { gitRevision, packageVersions } from '../store/provenance.js';
import type { PointResult, PointSpec } from './point-spec.js';
import { runPoint } from './run-point.js';

/** Where a worker records the points it trains (`vib worker --store`), sent to its point processes. */
export interface WorkerRecord {
  /** The worker machine's run store file. */
  readonly store: string;
  /** The worker's command line. */
  readonly argv: readonly string[];
  /** `--tag` values. */
  readonly tags: Readonly<Record<string, string>>;
}

let current: { store: RunStore; id: string } | null = null;

/**
 * Train a point and record it in the worker's own store as a `worker-point` run: `running` with a heartbeat
 * and each epoch as it ends, then `completed` or `failed`. The sweep still records the point in its own store
 * (as `sweep-point`, with a `worker-run` tag naming this record); a `worker-point` run never counts as the
 * point being done.
 * @param spec - the point
 * @param record - the worker's store, command line and tags
 * @returns the result, with `workerRun` set to `id@host`
 */
export async function runRecordedPoint(spec: PointSpec, record: WorkerRecord): Promise<PointResult> {
  const store = RunStore.open(record.store);
  const id = store.startRun({ command: 'worker-point', argv: record.argv, tags: record.tags, pointId: spec.pointId, gitRev: gitRevision(), versions: packageVersions() });
  current = { store, id };
  const stop = startHeartbeat(store, id);
  try {
    const result = await runPoint(spec, { onEpoch: (m) => store.logEpoch(id, m.epoch, { ...m }) });
    const c = result.config;
    store.updateRun(id, { config: c, seed: c.seed, dataset: c.dataset.name, beta: fixedBeta(c), backend: result.backend, tier: result.tier });
    store.finishRun(id, { status: 'completed', summary: { ...result.summary } });
    return { ...result, workerRun: `${id}@${hostname()}` };
  } catch (e) {
    store.finishRun(id, { status: 'failed', error: (e as Error).message });
    throw e;
  } finally {
    stop();
    current = null;
    store.close();
  }
}

/**
 * Mark the point being recorded, if any, as interrupted (its worker went away), before the process exits.
 * @param why - the reason stored with it
 */
export function interruptRecordedPoint(why: string): void {
  if (!current) return;
  try {
    current.store.finishRun(current.id, { status: 'interrupted', error: why });
    current.store.close();
  } catch {
    // the pid check or the heartbeat finds it later
  }
}

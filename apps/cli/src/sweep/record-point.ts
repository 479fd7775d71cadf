import type { RunStore } from '@vib/store';
import { fixedBeta } from '../store/run-recorder.js';
import type { PointResult } from './point-spec.js';

/**
 * Write a finished sweep point into the store as a completed `sweep-point` run with its epochs, unless the
 * store already holds a completed run of that point (so each point is stored exactly once, whoever trained it
 * and however often its result is collected: the check and the write are one IMMEDIATE transaction, and the
 * schema's unique index on completed sweep points refuses a second record). A worker that keeps its own store
 * is named in the `worker-run` tag.
 * @param store - the run store
 * @param result - the point's result
 * @param context - the sweep run's id, the command line and the tags
 * @returns the new run's id, or null when the point was already stored
 */
export function recordPoint(store: RunStore, result: PointResult, context: { parentId: string; argv: readonly string[]; tags: Readonly<Record<string, string>> }): string | null {
  return store.db.transaction(() => {
    if (store.completedPoint(result.pointId)) return null;
    const c = result.config;
    const id = store.startRun({
      command: 'sweep-point', argv: context.argv, config: c, seed: c.seed, dataset: c.dataset.name, beta: fixedBeta(c),
      gitRev: result.gitRev, versions: result.versions, backend: result.backend, tier: result.tier, host: result.host, pid: result.pid,
      tags: result.workerRun !== undefined ? { ...context.tags, 'worker-run': result.workerRun } : context.tags, parentId: context.parentId, pointId: result.pointId, startedAt: result.startedAt,
    });
    for (const m of result.history) store.logEpoch(id, m.epoch, { ...m });
    store.finishRun(id, { status: 'completed', summary: { ...result.summary }, endedAt: result.endedAt });
    return id;
  }).immediate();
}

import type { CliIO } from '../cli-io.js';
import { defaultOutDir, withRunDir } from '../output/run-dir.js';
import { createCliRegistry } from '../registry.js';
import { recordRun } from '../store/run-recorder.js';
import { parseTags } from '../store/store-flags.js';
import { runInProcess, runLocalPool, runOnQueue, type PointHooks } from '../sweep/executors.js';
import type { PointResult } from '../sweep/point-spec.js';
import { recordPoint } from '../sweep/record-point.js';
import { parseRedisUrl } from '../sweep/redis-url.js';
import { writeSweepOutputs, type SweepRow } from '../sweep/sweep-output.js';
import { planSweep, type SweepFlags } from '../sweep/sweep-plan.js';
import { SweepProgress } from '../sweep/sweep-progress.js';
import type { RunSummary } from '../train-run.js';
import { CliError, usageError } from '../util/cli-error.js';
import { threadsFlag } from '../backend-setup.js';
import { PROCESSES_BOUNDS } from '../util/flag-bounds.js';
import { parseCountFlag } from '../util/parse-flags.js';

export type { SweepFlags } from '../sweep/sweep-plan.js';

/**
 * `vib sweep`: train every point of a grid (β × `--grid` axes × `--seeds`) and write sweep.csv, sweep.json
 * and the IB-curve plot. Points run in this process, in `--jobs N` local worker processes, or as BullMQ jobs
 * on `--queue redis://...` for `vib worker`s anywhere. Each finished point is recorded in the run store once;
 * points already completed there (same resolved config, seed and data subset) are not trained again.
 * Each point is measured on the held-out test set: the rate KL(p(z|x) ‖ r(z)) averaged over test inputs
 * (≥ I(X;Z)) and H(Y_test) − CE_test with one sampled code per example (≤ I(Z;Y)).
 * @param flags - parsed flags
 * @param io - stdout/stderr
 * @returns the rows, one per point, and the output folder
 * @throws {@link CliError} on bad grid flags, an unreachable Redis, or failed points
 */
export async function sweepCommand(flags: SweepFlags, io: CliIO): Promise<{ runs: SweepRow[]; out: string }> {
  if (flags.queue !== undefined && flags.jobs !== undefined) throw usageError(`--queue ${flags.queue} and --jobs ${flags.jobs} conflict: give --queue (workers anywhere) or --jobs (local processes), not both`);
  const jobs = flags.jobs !== undefined ? parseCountFlag('--jobs', flags.jobs, PROCESSES_BOUNDS) : 0;
  // a malformed URL is refused now, even when every point turns out to be in the store already
  if (flags.queue !== undefined) parseRedisUrl(flags.queue);
  if (flags.queue !== undefined && flags.threads !== undefined) throw usageError(`--threads ${flags.threads} does nothing with --queue: each \`vib worker\` sets its points' threads (give it --threads ${flags.threads})`);
  const threads = threadsFlag(flags.threads);
  const tags = parseTags(flags.tag);
  const argv = io.argv ?? ['sweep'];
  // every point is parsed before the sweep is recorded: a bad flag value is no run
  const registry = await createCliRegistry(flags.plugin ?? []);
  const plan = await planSweep(flags, registry);
  return recordRun(flags, 'sweep', argv, async (rec) => {
    rec.config(plan.points[0]!.config);
    const results = new Map<string, { summary: RunSummary; runId: string }>();
    for (const p of plan.points) {
      const prior = rec.store.completedPoint(p.pointId);
      if (prior) results.set(p.pointId, { summary: prior.summary as unknown as RunSummary, runId: prior.id });
    }
    const pending = plan.points.filter((p) => !results.has(p.pointId));
    const progress = new SweepProgress(io.stderr, plan.points.length, results.size, flags.quiet ?? false);
    if (results.size > 0 && !flags.quiet) io.stderr.write(`sweep: ${results.size} of ${plan.points.length} points already in the store ${rec.store.file}; ${pending.length} to run\n`);
    const failures: string[] = [];
    const hooks: PointHooks = {
      start: (id) => progress.start(id),
      done: (r: PointResult) => {
        const runId = recordPoint(rec.store, r, { parentId: rec.id, argv, tags }) ?? rec.store.completedPoint(r.pointId)!.id;
        results.set(r.pointId, { summary: r.summary, runId });
        progress.done(r.pointId);
      },
      fail: (id, error) => {
        failures.push(`${id}: ${error}`);
        progress.fail(id);
      },
    };
    if (pending.length > 0) {
      if (flags.queue !== undefined) await runOnQueue(pending, hooks, flags.queue);
      else if (jobs > 0) await runLocalPool(pending, hooks, jobs, threads);
      else await runInProcess(pending, hooks, io, flags.quiet ?? false, threads);
    }
    if (failures.length > 0) {
      throw new CliError(`${failures.length} of ${plan.points.length} sweep points failed (${failures.join('; ')}): fix the cause and run the same sweep again; the ${results.size} completed points are kept`);
    }
    const rows: SweepRow[] = plan.points.map((p) => {
      const r = results.get(p.pointId)!;
      return { ...r.summary, seed: p.config.seed, pointId: p.pointId, runId: r.runId, coords: p.coords };
    });
    const { path } = await withRunDir(flags.out ?? defaultOutDir('sweep'), async (dir) => writeSweepOutputs(dir, plan, rows));
    rec.artifact('dir', path);
    if (flags.json) io.stdout.write(`${JSON.stringify({ out: path, runId: rec.id, trained: pending.length, reused: plan.points.length - pending.length, runs: rows })}\n`);
    else {
      for (const r of rows) {
        const at = Object.entries(r.coords).map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : JSON.stringify(v)}`).join(' ');
        io.stdout.write(`${at}: ${r.accuracy !== null ? `test accuracy ${(r.accuracy * 100).toFixed(2)}% (mean code)` : `test reconstruction ${(r.reconstructionNats ?? NaN).toFixed(2)} nats (mean code)`}, test rate ${r.rateBits.toFixed(2)} bits, test I(Z;Y) ≥ ${r.izyTestBits?.toFixed(3) ?? '-'} bits (CE of one sampled code per input)\n`);
      }
      io.stdout.write(`saved to ${path} (sweep run ${rec.id}; ${pending.length} points trained, ${plan.points.length - pending.length} reused)\n`);
    }
    return { result: { runs: rows, out: path }, summary: { points: plan.points.length, trained: pending.length, reused: plan.points.length - pending.length, out: path } };
  });
}

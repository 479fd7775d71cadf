import { Queue } from 'bullmq';
import type { CliIO } from '../cli-io.js';
import { CliError } from '../util/cli-error.js';
import { PointPool } from './point-pool.js';
import type { PointResult, PointSpec } from './point-spec.js';
import { checkRedis } from './redis-url.js';
import { runPoint } from './run-point.js';

/** What an executor reports as points move. */
export interface PointHooks {
  start(pointId: string): void;
  done(result: PointResult): void;
  fail(pointId: string, error: string): void;
}

/** The BullMQ queue that sweeps and workers share. */
export const SWEEP_QUEUE = 'vib-sweep';

/**
 * Train the points one after another in this process, with the usual progress bar per point.
 * @param points - the points
 * @param hooks - progress callbacks
 * @param io - where the progress bars go
 * @param quiet - no progress bars
 * @param threads - `--threads`: threads of the heavy kernels (default: the backend's own choice)
 */
export async function runInProcess(points: readonly PointSpec[], hooks: PointHooks, io: CliIO, quiet: boolean, threads?: number): Promise<void> {
  for (const [i, p] of points.entries()) {
    hooks.start(p.pointId);
    const label = `[${Object.entries(p.coords).map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(2) : JSON.stringify(v)}`).join(' ')} ${i + 1}/${points.length}]`;
    try {
      hooks.done(await runPoint(p, { ...(quiet ? {} : { io }), label, ...(threads !== undefined ? { threads } : {}) }));
    } catch (e) {
      if (CliError.isInstance(e) && e.details['exitCode'] === 130) throw e;
      hooks.fail(p.pointId, (e as Error).message);
    }
  }
}

/**
 * Train the points in `jobs` local worker processes.
 * @param points - the points
 * @param hooks - progress callbacks
 * @param jobs - processes
 * @param threads - `--threads`: threads of each process's heavy kernels (default: the cores shared out)
 */
export async function runLocalPool(points: readonly PointSpec[], hooks: PointHooks, jobs: number, threads?: number): Promise<void> {
  const pool = new PointPool(jobs, threads !== undefined ? { threads } : {});
  try {
    await Promise.all(points.map((p) => pool.run(p, () => hooks.start(p.pointId)).then(hooks.done, (e: Error) => hooks.fail(p.pointId, e.message))));
  } finally {
    pool.close();
  }
}

/**
 * Enqueue the points on BullMQ (one job per point, job id = point id, so a point already queued, running or
 * finished is not queued twice; a failed one is retried) and wait until every job has completed or failed.
 * Jobs completed earlier are collected without running again.
 * @param points - the points
 * @param hooks - progress callbacks
 * @param url - the Redis URL
 * @param pollMs - how often job states are read (default 500 ms)
 * @throws {@link CliError} when Redis is unreachable
 */
export async function runOnQueue(points: readonly PointSpec[], hooks: PointHooks, url: string, pollMs = 500): Promise<void> {
  const connection = await checkRedis(url);
  const queue = new Queue(SWEEP_QUEUE, { connection });
  queue.on('error', () => {});
  try {
    for (const p of points) {
      const job = await queue.getJob(p.pointId);
      if (!job) {
        await queue.add('point', p, { jobId: p.pointId, attempts: 1, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } });
      } else if ((await job.getState()) === 'failed') {
        await job.retry('failed');
      }
    }
    const pending = new Set(points.map((p) => p.pointId));
    const active = new Set<string>();
    while (pending.size > 0) {
      for (const id of [...pending]) {
        // the state first, then the job: a job read while active and completed just after has no return value yet
        const state = await queue.getJobState(id);
        if (state === 'completed') {
          const result = (await queue.getJob(id))?.returnvalue as PointResult | null | undefined;
          if (!result) continue;
          pending.delete(id);
          hooks.done(result);
        } else if (state === 'failed') {
          pending.delete(id);
          hooks.fail(id, (await queue.getJob(id))?.failedReason || 'failed');
        } else if (state === 'active' && !active.has(id)) {
          active.add(id);
          hooks.start(id);
        } else if (state === 'unknown') {
          throw new CliError(`sweep job ${id} vanished from the queue ${SWEEP_QUEUE} at ${url} (was Redis flushed?): run the sweep again`);
        }
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await queue.close();
  }
}

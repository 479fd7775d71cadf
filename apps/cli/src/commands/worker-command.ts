import { Worker } from 'bullmq';
import type { CliIO } from '../cli-io.js';
import { SWEEP_QUEUE } from '../sweep/executors.js';
import { PointPool } from '../sweep/point-pool.js';
import type { PointResult, PointSpec } from '../sweep/point-spec.js';
import { checkRedis } from '../sweep/redis-url.js';
import { parseTags } from '../store/store-flags.js';
import { PROCESSES_BOUNDS, THREADS_BOUNDS } from '../util/flag-bounds.js';
import { parseCountFlag } from '../util/parse-flags.js';

/** Flags of `vib worker`. */
export interface WorkerFlags {
  readonly queue: string;
  readonly concurrency: string;
  readonly lockMs: string;
  /** Threads per point process (default: the cores shared out among `--concurrency` processes). */
  readonly threads?: string;
  /** This machine's run store, to record each point it trains (no recording without it). */
  readonly store?: string;
  readonly tag?: readonly string[];
  readonly quiet?: boolean;
  readonly verbose?: boolean;
}

/**
 * `vib worker`: take sweep points from the BullMQ queue at `--queue` and train each in a local process
 * (so this process stays responsive and keeps its job locks renewed). With `--store`, each point is also
 * recorded in this machine's store as a `worker-point` run (live epochs, heartbeat, how it ended). A job whose worker dies is found
 * stalled after its lock expires and handed to another worker. Runs until SIGINT/SIGTERM: the first signal
 * stops taking jobs and lets the running ones finish, a second one stops at once (their jobs go back to the
 * queue as stalled).
 * @param flags - parsed flags
 * @param io - log lines go to stdout
 * @returns when the worker has stopped
 * @throws {@link CliError} when Redis is unreachable or a flag is bad
 */
export async function workerCommand(flags: WorkerFlags, io: CliIO): Promise<void> {
  const concurrency = parseCountFlag('--concurrency', flags.concurrency, PROCESSES_BOUNDS);
  const lockDuration = parseCountFlag('--lock-ms', flags.lockMs);
  const threads = flags.threads !== undefined ? parseCountFlag('--threads', flags.threads, THREADS_BOUNDS) : undefined;
  const tags = parseTags(flags.tag);
  const connection = await checkRedis(flags.queue);
  const log = (text: string) => { if (!flags.quiet) io.stdout.write(`${new Date().toISOString()} worker ${process.pid}: ${text}\n`); };
  const pool = new PointPool(concurrency, {
    ...(threads !== undefined ? { threads } : {}),
    ...(flags.store !== undefined ? { record: { store: flags.store, argv: io.argv ?? ['worker'], tags } } : {}),
  });
  const worker = new Worker<PointSpec, PointResult>(SWEEP_QUEUE, async (job) => {
    log(`point ${job.id} started (${JSON.stringify(job.data.coords)})`);
    const t0 = Date.now();
    const result = await pool.run(job.data);
    log(`point ${job.id} done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return result;
  }, { connection, concurrency, lockDuration, stalledInterval: Math.max(500, Math.round(lockDuration / 2)), maxStalledCount: 2 });
  worker.on('failed', (job, err) => log(`point ${job?.id ?? '?'} failed: ${err.message}`));
  worker.on('stalled', (id) => log(`point ${id} stalled (its worker stopped answering); it goes back to the queue`));
  worker.on('error', (err) => log(`queue error: ${err.message}`));
  log(`listening on ${flags.queue} (queue ${SWEEP_QUEUE}, concurrency ${concurrency}${flags.store !== undefined ? `, recording into ${flags.store}` : ''})`);
  await new Promise<void>((resolve) => {
    let signals = 0;
    const stop = () => {
      signals++;
      if (signals === 1) {
        log('stopping: finishing the running points (signal again to stop now)');
        void worker.close().then(resolve);
      } else {
        void worker.close(true).then(resolve);
      }
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  pool.close();
  log('stopped');
}

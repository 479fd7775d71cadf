import { availableParallelism } from 'node:os';
import { ChildPool, childEntry } from '../util/child-pool.js';
import type { PointResult, PointSpec } from './point-spec.js';
import type { WorkerRecord } from './worker-record.js';

/** Options of {@link PointPool}. */
export interface PointPoolOptions {
  /** Threads of each process's heavy kernels (default: the cores shared out, at least 1: see {@link poolThreads}). */
  readonly threads?: number;
  /** Record each point in this store too (`vib worker --store`). */
  readonly record?: WorkerRecord;
}

/**
 * The default threads per point process: the cores divided among the processes, at least 1, so that
 * `processes × threads` does not exceed the cores (oversubscribed BLAS or wasm threads slow every process down).
 * @param processes - processes training at once
 * @param cores - cores of this machine (default `availableParallelism()`)
 * @returns threads per process
 */
export function poolThreads(processes: number, cores: number = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / processes));
}

/** What a point process gets: the point, and where to record it. */
interface PointTask {
  readonly spec: PointSpec;
  readonly record?: WorkerRecord;
}

/**
 * A pool of long-lived local worker processes that train sweep points, one point per process at a time
 * (`point-child`). A process that dies mid-point fails that point (with its exit code or signal) and is replaced on
 * demand.
 */
export class PointPool {
  private readonly pool: ChildPool<PointTask, PointResult>;

  /**
   * @param size - how many processes at most
   * @param options - threads per process, a store to record points in
   */
  constructor(size: number, private readonly options: PointPoolOptions = {}) {
    const threads = String(options.threads ?? poolThreads(size));
    this.pool = new ChildPool(childEntry(import.meta.url, 'point-child'), size, {
      env: { VIB_POINT_THREADS: threads },
      describe: ({ spec }) => `training point ${spec.pointId}`,
    });
  }

  /**
   * Train a point in one of the pool's processes.
   * @param spec - the point
   * @param onStart - called when a process takes the point
   * @returns its result
   */
  run(spec: PointSpec, onStart?: () => void): Promise<PointResult> {
    return this.pool.run({ spec, ...(this.options.record ? { record: this.options.record } : {}) }, onStart);
  }

  /** Stop every process (running points are abandoned). */
  close(): void {
    this.pool.close();
  }
}

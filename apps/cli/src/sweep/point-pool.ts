import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

interface Task {
  readonly spec: PointSpec;
  readonly resolve: (r: PointResult) => void;
  readonly reject: (e: Error) => void;
  readonly onStart: (() => void) | undefined;
}

interface Slot {
  readonly child: ChildProcess;
  task: Task | null;
}

/** How to start `point-child` from this file: the .ts source needs the tsx loader and the `source` condition. */
function childEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ext = extname(here);
  const file = fileURLToPath(new URL(`./point-child${ext}`, import.meta.url));
  if (ext !== '.ts') return { file, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { file, execArgv: ['--conditions=@vib/source', '--import', tsx] };
}

/**
 * A pool of long-lived local worker processes that train sweep points, one point per process at a time.
 * A process that dies mid-point fails that point (with its exit code or signal) and is replaced on demand.
 */
export class PointPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;

  /**
   * @param size - how many processes at most
   * @param options - threads per process, a store to record points in
   */
  constructor(private readonly size: number, private readonly options: PointPoolOptions = {}) {}

  /**
   * Train a point in one of the pool's processes.
   * @param spec - the point
   * @param onStart - called when a process takes the point
   * @returns its result
   */
  run(spec: PointSpec, onStart?: () => void): Promise<PointResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ spec, resolve, reject, onStart });
      this.pump();
    });
  }

  /** Stop every process (running points are abandoned). */
  close(): void {
    this.closed = true;
    for (const s of this.slots) s.child.kill('SIGTERM');
    this.slots.length = 0;
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.child.send({ id: this.nextId++, spec: task.spec, ...(this.options.record ? { record: this.options.record } : {}) });
      task.onStart?.();
    }
  }

  private spawn(): Slot {
    const { file, execArgv } = childEntry();
    // detached: a Ctrl-C in the terminal reaches only the parent, which decides (a worker lets running points
    // finish); the child still exits when the parent goes away, through the IPC channel closing.
    const threads = String(this.options.threads ?? poolThreads(this.size));
    const child = fork(file, [], { execArgv, env: { ...process.env, VIB_POINT_THREADS: threads }, serialization: 'advanced', detached: true, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const slot: Slot = { child, task: null };
    child.on('message', (msg: { ok?: boolean; result?: PointResult; error?: string }) => {
      if (msg.ok === undefined || !slot.task) return;
      const task = slot.task;
      slot.task = null;
      if (msg.ok) task.resolve(msg.result!);
      else task.reject(new Error(msg.error ?? 'the point failed'));
      // after the caller has seen this result, so its progress never counts more points running than processes
      setImmediate(() => this.pump());
    });
    child.on('exit', (code, signal) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      if (slot.task) slot.task.reject(new Error(`the worker process ${child.pid} exited (${signal ?? `code ${code}`}) while training point ${slot.task.spec.pointId}`));
      slot.task = null;
      this.pump();
    });
    this.slots.push(slot);
    return slot;
  }
}

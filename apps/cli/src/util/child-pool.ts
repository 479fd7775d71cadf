import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** How a pool starts its children: the module to run and the Node flags it needs. */
export interface ChildEntry {
  readonly file: string;
  readonly execArgv: readonly string[];
}

/**
 * The child module `name` beside the module at `from` (its `import.meta.url`): compiled JavaScript as it is, or the
 * TypeScript source (a run from the sources, the tests) through the tsx loader with the `@vib/source` condition.
 * @param from - the calling module's URL
 * @param name - the child module's file name, without its extension
 * @returns the file and Node flags to fork it with
 */
export function childEntry(from: string, name: string): ChildEntry {
  const ext = extname(fileURLToPath(from));
  const file = fileURLToPath(new URL(`./${name}${ext}`, from));
  if (ext !== '.ts') return { file, execArgv: [] };
  const tsx = pathToFileURL(createRequire(from).resolve('tsx')).href;
  return { file, execArgv: ['--conditions=@vib/source', '--import', tsx] };
}

/** Options of {@link ChildPool}. */
export interface ChildPoolOptions<T> {
  /** Variables added to this process's environment for the children. */
  readonly env?: Readonly<Record<string, string>>;
  /** What a task is, for the error when its process exits during it (e.g. `training point p3`). */
  readonly describe: (task: T) => string;
}

interface Job<T, R> {
  readonly task: T;
  readonly resolve: (r: R) => void;
  readonly reject: (e: Error) => void;
  readonly onStart: (() => void) | undefined;
}

interface Slot<T, R> {
  readonly child: ChildProcess;
  job: Job<T, R> | null;
}

/**
 * A pool of long-lived local child processes, one task per process at a time, started on demand up to `size`. A
 * task goes to its child as the message `{ id, ...task }` (structured clone: typed arrays pass as they are); the
 * child answers `{ id, ok: true, result }` or `{ id, ok: false, error }` (a message), and may say `{ ready: true }`
 * first. A process that dies during a task fails that task (with its exit code or signal) and is replaced on demand.
 * The children are detached: a Ctrl-C in the terminal reaches only the parent, which decides (and {@link close}s the
 * pool); a child exits when its parent goes away, through the IPC channel closing.
 * @typeParam T - a task (an object)
 * @typeParam R - its result
 */
export class ChildPool<T extends object, R> {
  private readonly slots: Slot<T, R>[] = [];
  private readonly queue: Job<T, R>[] = [];
  private nextId = 0;
  private closed = false;

  /**
   * @param entry - the child module (see {@link childEntry})
   * @param size - how many processes at most
   * @param options - their environment, and how to name a task in an error
   */
  constructor(private readonly entry: ChildEntry, private readonly size: number, private readonly options: ChildPoolOptions<T>) {}

  /**
   * Run a task in one of the pool's processes.
   * @param task - the task
   * @param onStart - called when a process takes it
   * @returns its result
   */
  run(task: T, onStart?: () => void): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject, onStart });
      this.pump();
    });
  }

  /** Stop every process (running tasks are abandoned). */
  close(): void {
    this.closed = true;
    for (const s of this.slots) s.child.kill('SIGTERM');
    this.slots.length = 0;
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.child.send({ id: this.nextId++, ...job.task });
      job.onStart?.();
    }
  }

  private spawn(): Slot<T, R> {
    const { file, execArgv } = this.entry;
    const child = fork(file, [], { execArgv: [...execArgv], env: { ...process.env, ...this.options.env }, serialization: 'advanced', detached: true, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const slot: Slot<T, R> = { child, job: null };
    child.on('message', (msg: { ok?: boolean; result?: R; error?: string }) => {
      if (msg.ok === undefined || !slot.job) return;
      const job = slot.job;
      slot.job = null;
      if (msg.ok) job.resolve(msg.result!);
      else job.reject(new Error(msg.error ?? 'the task failed'));
      // after the caller has seen this result, so its progress never counts more tasks running than processes
      setImmediate(() => this.pump());
    });
    child.on('exit', (code, signal) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      if (slot.job) slot.job.reject(new Error(`the worker process ${child.pid} exited (${signal ?? `code ${code}`}) while ${this.options.describe(slot.job.task)}`));
      slot.job = null;
      this.pump();
    });
    this.slots.push(slot);
    return slot;
  }
}

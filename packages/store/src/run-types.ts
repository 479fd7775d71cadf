/** The life cycle of a run: `running` until it ends; `interrupted` when a signal stopped it or its process died. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';

/** Every status, in life-cycle order. */
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'completed', 'failed', 'interrupted'];

/** What a command records when a run starts. */
export interface NewRun {
  /** The command, e.g. `train`, `sweep`, `sweep-point`, `eval`, `infoplane`. */
  readonly command: string;
  /** The command line (arguments after the program name). */
  readonly argv: readonly string[];
  /** The resolved experiment config, as JSON-able data. */
  readonly config?: unknown;
  /** The seed of the run, when it has one. */
  readonly seed?: number | null;
  /** Dataset name (a column, for filtering). */
  readonly dataset?: string | null;
  /** β of a fixed-β run (a column, for filtering). */
  readonly beta?: number | null;
  /** Git revision of the working directory's repository, with `-dirty` when it has changes. */
  readonly gitRev?: string | null;
  /** Package versions, e.g. `{ "@vib/tasks": "0.3.0", node: "20.20.2" }`. */
  readonly versions?: Readonly<Record<string, string>>;
  /** The TensorFlow.js backend actually used. */
  readonly backend?: string | null;
  /** The backend's speed tier (e.g. `native`, `pure`). */
  readonly tier?: string | null;
  /** Host name (defaults to this host). */
  readonly host?: string;
  /** Process id (defaults to this process). */
  readonly pid?: number;
  /** Tags, `name → value`. */
  readonly tags?: Readonly<Record<string, string>>;
  /** The sweep run this run is a point of. */
  readonly parentId?: string | null;
  /** Deterministic id of a sweep grid point (hash of resolved config + seed). */
  readonly pointId?: string | null;
  /** Start time in epoch ms (default now): set when recording a run that ran elsewhere. */
  readonly startedAt?: number;
}

/** One stored run. Times are epoch milliseconds. */
export interface RunRecord {
  /** 12 hex digits. */
  readonly id: string;
  /** The command (`train`, `sweep`, `sweep-point`, `eval`, `infoplane`). */
  readonly command: string;
  /** The command line (arguments after the program name). */
  readonly argv: readonly string[];
  /** The resolved experiment config (null when the command had none). */
  readonly config: unknown;
  /** The seed, when the run has one. */
  readonly seed: number | null;
  /** Dataset name. */
  readonly dataset: string | null;
  /** β of a fixed-β run, else null. */
  readonly beta: number | null;
  /** Git revision of the working directory (`-dirty` with uncommitted changes), or null outside a repository. */
  readonly gitRev: string | null;
  /** Package versions, name → version. */
  readonly versions: Readonly<Record<string, string>>;
  /** Backend actually used. */
  readonly backend: string | null;
  /** The backend's speed tier. */
  readonly tier: string | null;
  /** Host the run ran on. */
  readonly host: string | null;
  /** Process id of the run (for the dead-process check on the same host). */
  readonly pid: number | null;
  /** Where the run is in its life cycle. */
  readonly status: RunStatus;
  /** Start time, epoch ms. */
  readonly startedAt: number;
  /** End time, epoch ms (null while running). */
  readonly endedAt: number | null;
  /** Final summary numbers (null until the run completes). */
  readonly summary: Readonly<Record<string, unknown>> | null;
  /** Why the run failed or was interrupted. */
  readonly error: string | null;
  /** The sweep run this run is a point of, else null. */
  readonly parentId: string | null;
  /** The deterministic sweep point id, else null. */
  readonly pointId: string | null;
  /** When the run last said it was alive, epoch ms (its start, its epochs, a timer while it runs). */
  readonly heartbeatAt: number | null;
  /** Tags, name → value. */
  readonly tags: Readonly<Record<string, string>>;
  /** Files the run wrote, by name (e.g. `dir`, `model`, `metrics`). */
  readonly artifacts: Readonly<Record<string, string>>;
}

/** One epoch's metrics of a run. */
export interface EpochRecord {
  /** 1-based epoch. */
  readonly epoch: number;
  /** The epoch's metrics as recorded. */
  readonly metrics: Readonly<Record<string, unknown>>;
}

/** How a run ends. */
export interface RunEnd {
  /** The final status. */
  readonly status: Exclude<RunStatus, 'running'>;
  /** Final summary numbers (kept from before when omitted). */
  readonly summary?: Readonly<Record<string, unknown>>;
  /** Why the run failed or was interrupted. */
  readonly error?: string;
  /** End time in epoch ms (default now). */
  readonly endedAt?: number;
}

/** Which runs `list` returns; every given field must match. */
export interface RunFilter {
  /** Tags that must all be set to these values. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Dataset name. */
  readonly dataset?: string;
  /** Smallest fixed β (inclusive). */
  readonly betaMin?: number;
  /** Largest fixed β (inclusive). */
  readonly betaMax?: number;
  /** Status. */
  readonly status?: RunStatus;
  /** Command name. */
  readonly command?: string;
  /** The sweep run whose points to list. */
  readonly parentId?: string;
  /** Most runs returned (newest first). */
  readonly limit?: number;
}

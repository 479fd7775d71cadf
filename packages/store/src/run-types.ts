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
  readonly seed?: number | null;
  /** Dataset name (a column, for filtering). */
  readonly dataset?: string | null;
  /** β of a fixed-β run (a column, for filtering). */
  readonly beta?: number | null;
  /** Git revision of the working directory's repository, with `-dirty` when it has changes. */
  readonly gitRev?: string | null;
  /** Package versions, e.g. `{ "@vib/tasks": "0.3.0", node: "20.20.2" }`. */
  readonly versions?: Readonly<Record<string, string>>;
  readonly backend?: string | null;
  /** The backend's speed tier (e.g. `native`, `pure`). */
  readonly tier?: string | null;
  /** Host name (defaults to this host). */
  readonly host?: string;
  /** Process id (defaults to this process). */
  readonly pid?: number;
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
  readonly id: string;
  readonly command: string;
  readonly argv: readonly string[];
  readonly config: unknown;
  readonly seed: number | null;
  readonly dataset: string | null;
  readonly beta: number | null;
  readonly gitRev: string | null;
  readonly versions: Readonly<Record<string, string>>;
  readonly backend: string | null;
  readonly tier: string | null;
  readonly host: string | null;
  readonly pid: number | null;
  readonly status: RunStatus;
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** Final summary numbers (null until the run completes). */
  readonly summary: Readonly<Record<string, unknown>> | null;
  /** Why the run failed or was interrupted. */
  readonly error: string | null;
  readonly parentId: string | null;
  readonly pointId: string | null;
  readonly tags: Readonly<Record<string, string>>;
  /** Files the run wrote, by name (e.g. `dir`, `model`, `metrics`). */
  readonly artifacts: Readonly<Record<string, string>>;
}

/** One epoch's metrics of a run. */
export interface EpochRecord {
  readonly epoch: number;
  readonly metrics: Readonly<Record<string, unknown>>;
}

/** How a run ends. */
export interface RunEnd {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly summary?: Readonly<Record<string, unknown>>;
  readonly error?: string;
  /** End time in epoch ms (default now). */
  readonly endedAt?: number;
}

/** Which runs `list` returns; every given field must match. */
export interface RunFilter {
  /** Tags that must all be set to these values. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly dataset?: string;
  readonly betaMin?: number;
  readonly betaMax?: number;
  readonly status?: RunStatus;
  readonly command?: string;
  readonly parentId?: string;
  /** Most runs returned (newest first). */
  readonly limit?: number;
}

import type { EpochMetrics, ExperimentConfig } from '@vib/tasks';
import type { RunSummary } from '../train-run.js';

/** Everything a worker needs to train one sweep point (sent over IPC or Redis as JSON). */
export interface PointSpec {
  readonly pointId: string;
  /** The raw config of the point (parsed again by the worker, against its own registry); it holds the data `subset`. */
  readonly raw: Record<string, unknown>;
  /** The point's grid coordinates, e.g. `{ beta: 0.001, seed: 1 }`. */
  readonly coords: Readonly<Record<string, unknown>>;
  /** `--backend`, when given. */
  readonly backend?: string;
  /** `--plugin` modules. */
  readonly plugins: readonly string[];
}

/** What a worker sends back for a finished point. */
export interface PointResult {
  readonly pointId: string;
  readonly summary: RunSummary;
  readonly history: readonly EpochMetrics[];
  readonly config: ExperimentConfig;
  readonly backend: string;
  readonly tier: string;
  /** Threads of the heavy kernels it trained with (`--threads`, else the cores shared out among a pool's processes). */
  readonly threads: number;
  /** Host and pid of the process that trained it. */
  readonly host: string;
  readonly pid: number;
  readonly versions: Readonly<Record<string, string>>;
  readonly gitRev: string | null;
  readonly startedAt: number;
  readonly endedAt: number;
  /** `id@host` of the worker's own record of training it (`vib worker --store`), when it keeps one. */
  readonly workerRun?: string;
}

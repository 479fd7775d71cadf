import { execFileSync } from 'node:child_process';
import { cpus, hostname } from 'node:os';

/** Provenance stamped on every analysis record (robustness, uncertainty, reproductions). */
export interface RecordMeta {
  /** ISO date-time the record was written. */
  readonly date: string;
  /** `git rev-parse HEAD` of the working tree, or null outside a git checkout. */
  readonly revision: string | null;
  /** The machine: CPU model, core count and host name. */
  readonly machine: string;
  /** The TensorFlow.js backend used. */
  readonly backend: string;
  /** Wall-clock seconds of the analysis. */
  readonly wallSeconds: number;
}

/**
 * The current git revision, or null.
 * @returns the commit hash
 */
export function gitRevision(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}

/**
 * Provenance of a record.
 * @param backend - the backend in use
 * @param started - `performance.now()` when the analysis began
 * @returns date, revision, machine, backend and wall time
 */
export function recordMeta(backend: string, started: number): RecordMeta {
  const cores = cpus();
  return {
    date: new Date().toISOString(),
    revision: gitRevision(),
    machine: `${cores[0]?.model.trim() ?? 'unknown CPU'}, ${cores.length} cores, ${hostname()}`,
    backend,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

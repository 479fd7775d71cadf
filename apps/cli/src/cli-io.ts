import type { ProgressSink } from './output/progress.js';

/** Where a command writes: results to stdout, progress and errors to stderr. */
export interface CliIO {
  readonly stdout: ProgressSink;
  readonly stderr: ProgressSink;
}

/** Flags every command accepts. */
export interface GlobalFlags {
  readonly out?: string;
  readonly backend?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly quiet?: boolean;
  /** `--plugin` values: third-party plugin modules to load into the registry, in order. */
  readonly plugin?: readonly string[];
}

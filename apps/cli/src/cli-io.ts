import type { ProgressSink } from './output/progress.js';
import type { StoreFlags } from './store/store-flags.js';

/** Where a command writes: results to stdout, progress and errors to stderr. */
export interface CliIO {
  readonly stdout: ProgressSink;
  readonly stderr: ProgressSink;
  /** The command line being run (arguments after the program name), recorded in the run store. */
  readonly argv?: readonly string[];
}

/** Flags every command accepts (including the run store's `--store` and `--tag`). */
export interface GlobalFlags extends StoreFlags {
  readonly out?: string;
  readonly backend?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly quiet?: boolean;
  /** `--threads`: the native addon's threads in the native tier; the threaded wasm build's threads in the pure tier. */
  readonly threads?: string;
  /** `--plugin` values: third-party plugin modules to load into the registry, in order. */
  readonly plugin?: readonly string[];
}

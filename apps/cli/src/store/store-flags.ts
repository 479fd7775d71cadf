import { defaultStorePath, RunStore } from '@vib/store';
import { usageError } from '../util/cli-error.js';

/** Flags of the commands that record into the run store. */
export interface StoreFlags {
  /** `--store <file>`: the run store (default `$VIB_STORE`, else the XDG data folder). */
  readonly store?: string;
  /** `--tag name=value` values (repeatable). */
  readonly tag?: readonly string[];
}

/**
 * Parse `--tag name=value` flags.
 * @param tags - the flag values
 * @returns name → value
 * @throws {@link CliError} (exit code 2) on a value without `=` or an empty name
 */
export function parseTags(tags: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) {
    const eq = t.indexOf('=');
    if (eq <= 0) throw usageError(`--tag ${t}: expected name=value, e.g. --tag group=baseline`);
    out[t.slice(0, eq).trim()] = t.slice(eq + 1).trim();
  }
  return out;
}

/**
 * The store file a command uses: `--store`, else `$VIB_STORE`, else `$XDG_DATA_HOME/vib/runs.sqlite`.
 * @param flags - the command's flags
 * @returns the file path
 */
export function storePath(flags: StoreFlags): string {
  return flags.store ?? defaultStorePath();
}

/**
 * Open the command's run store.
 * @param flags - the command's flags
 * @returns the open store
 */
export function openCliStore(flags: StoreFlags): RunStore {
  return RunStore.open(storePath(flags));
}

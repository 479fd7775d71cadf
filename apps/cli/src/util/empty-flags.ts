import type { Command } from 'commander';
import { usageError } from './cli-error.js';

/** What to pass instead of an empty value, for the flags where an example helps most. */
const EXAMPLES: Record<string, string> = {
  '--out': 'the folder to write, e.g. --out runs/my-run',
  '--estimator': 'comma-separated estimator names, e.g. --estimator binning,kde-upper',
  '--store': 'a file, e.g. --store runs.sqlite',
};

/**
 * Refuse a flag given an empty value (`--out ""`, `--estimator ""`): no flag of `vib` means anything empty, and
 * each would otherwise fall back to a default or to nothing without a word. Runs before every command's action.
 * @param cmd - the command about to run, with its parsed options
 * @throws {@link CliError} (exit code 2) naming the first flag given `""`
 */
export function refuseEmptyValues(cmd: Command): void {
  const values = cmd.opts<Record<string, unknown>>();
  const path: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) path.unshift(c.name());
  for (const option of cmd.options) {
    const value = values[option.attributeName()];
    const empty = value === '' || (Array.isArray(value) && value.some((v) => typeof v === 'string' && v.trim() === ''));
    if (!empty || option.long === undefined) continue;
    const what = EXAMPLES[option.long] ?? `a value (see vib ${path.join(' ')} --help)`;
    throw usageError(`${option.long} "" is empty: pass ${what}`, { details: { flag: option.long, value: '' } });
  }
}

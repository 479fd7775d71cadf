import { usageError } from './cli-error.js';

/**
 * Parse a number flag, refusing anything that is not a finite number.
 * @param flag - flag name for the message, e.g. `--beta`
 * @param value - the text given
 * @param check - extra condition and what it requires, e.g. `[v => v >= 0, 'a number ≥ 0']`
 * @param example - a valid value to suggest (default `1e-3`)
 * @returns the number
 * @throws {@link CliError} naming the flag and the value (a usage error: exit code 2)
 */
export function parseNumberFlag(flag: string, value: string, check?: [(v: number) => boolean, string], example = '1e-3'): number {
  const v = Number(value);
  const details = { flag, value };
  if (value.trim() === '' || !Number.isFinite(v)) throw usageError(`${flag} ${JSON.stringify(value)} is not a number: pass e.g. ${flag} ${example}`, { details });
  if (check && !check[0](v)) throw usageError(`${flag} ${value} is out of range: it must be ${check[1]}, e.g. ${flag} ${example}`, { details });
  return v;
}

/** A valid example for each count flag, used in messages. */
const COUNT_EXAMPLES: Record<string, string> = { '--batch-size': '100', '--epochs': '10', '--latent-dim': '2', '--hidden': '1024,1024', '--samples': '12', '--iw-samples': '50', '--steps': '10', '--max-points': '1000', '--bins': '30', '--max-train': '1000', '--max-test': '1000', '--checkpoint-every': '100', '--threads': '2', '--jobs': '2' };

/** Limits of a count flag beyond "an integer ≥ 1". */
export interface CountBounds {
  /** Smallest value (default 1). */
  readonly min?: number;
  /** Largest value (default 2^53 − 1, the largest integer a JSON config holds exactly). */
  readonly max?: number;
  /** Why the maximum, for the message, e.g. `(the weights grow with K)`. */
  readonly why?: string;
}

/**
 * Parse an integer count flag: at least `min` (default 1), at most `max` (default 2^53 − 1).
 * @param flag - flag name
 * @param value - the text given
 * @param bounds - other limits than 1 .. 2^53 − 1, and why
 * @returns the integer
 * @throws {@link CliError} (exit code 2) unless it is an integer in range
 * @example
 * ```ts
 * parseCountFlag('--latent-dim', '8', { max: 4096 }); // 8
 * ```
 */
export function parseCountFlag(flag: string, value: string, bounds: CountBounds = {}): number {
  const min = bounds.min ?? 1;
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  const why = bounds.why ? ` ${bounds.why}` : '';
  const example = COUNT_EXAMPLES[flag] ?? '100';
  const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}${why}`;
  const v = parseNumberFlag(flag, value, [(n) => Number.isInteger(n) && n >= min, range], example);
  if (v > max) {
    const most = max === Number.MAX_SAFE_INTEGER ? `${max} (2^53 − 1)` : `${max}${why}`;
    throw usageError(`${flag} ${value} is too big: it must be at most ${most}, e.g. ${flag} ${example}`, { details: { flag, value } });
  }
  return v;
}

/** What a seed must be: an integer a JSON config holds exactly. */
export const SEED_CHECK: [(v: number) => boolean, string] = [(v) => Number.isSafeInteger(v) && v >= 0, 'an integer from 0 to 9007199254740991 (2^53 − 1)'];

/**
 * Parse a seed flag: an integer from 0 to 2^53 − 1.
 * @param flag - flag name, e.g. `--seed`
 * @param value - the text given
 * @returns the seed
 * @throws {@link CliError} (exit code 2) otherwise
 */
export function parseSeedFlag(flag: string, value: string): number {
  return parseNumberFlag(flag, value, SEED_CHECK, '1');
}

/**
 * Parse a comma-separated list of numbers, e.g. `--betas 1e-4,1e-3`.
 * @param flag - flag name
 * @param value - the text given
 * @param check - condition every entry must meet
 * @param example - a valid entry to suggest
 * @returns the numbers
 * @throws {@link CliError} naming the bad entry
 */
export function parseNumberList(flag: string, value: string, check?: [(v: number) => boolean, string], example?: string): number[] {
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw usageError(`${flag} is empty: pass comma-separated numbers, e.g. ${flag} ${example ?? '1e-4,1e-3,1e-2'}`);
  return parts.map((p) => parseNumberFlag(flag, p, check, example));
}

/**
 * Log-spaced values from `--beta-range lo:hi:n` (n ≥ 2 values from lo to hi inclusive).
 * @param value - `lo:hi:n`
 * @returns the values
 * @throws {@link CliError} on a malformed range
 */
export function parseLogRange(value: string): number[] {
  const example = '1e-4:1:5';
  const parts = value.split(':');
  if (parts.length !== 3) throw usageError(`--beta-range ${JSON.stringify(value)} is not lo:hi:n: pass e.g. --beta-range ${example}`);
  const positive: [(v: number) => boolean, string] = [(v) => v > 0, 'a number > 0 (the range is log-spaced)'];
  const lo = parseNumberFlag('--beta-range', parts[0]!, positive, example);
  const hi = parseNumberFlag('--beta-range', parts[1]!, positive, example);
  const n = parseNumberFlag('--beta-range', parts[2]!, [(v) => Number.isInteger(v) && v >= 2 && v <= 1000, 'a count from 2 to 1000 as the third part'], example);
  // the ends are the values given; the points between are rounded to 12 significant digits, so that
  // 1e-5:1:6 gives 1e-5, 1e-4, … exactly (exp(log(…)) gives 0.000009999999999999999), in sweep.csv and in the point ids
  return Array.from({ length: n }, (_, i) => {
    if (i === 0) return lo;
    if (i === n - 1) return hi;
    return Number(Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / (n - 1)).toPrecision(12));
  });
}

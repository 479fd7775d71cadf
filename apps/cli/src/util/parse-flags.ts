import { CliError } from './cli-error.js';

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
  const usage = { details: { exitCode: 2, flag, value } };
  if (value.trim() === '' || !Number.isFinite(v)) throw new CliError(`${flag} ${JSON.stringify(value)} is not a number: pass e.g. ${flag} ${example}`, usage);
  if (check && !check[0](v)) throw new CliError(`${flag} ${value} is out of range: it must be ${check[1]}, e.g. ${flag} ${example}`, usage);
  return v;
}

/** A valid example for each count flag, used in messages. */
const COUNT_EXAMPLES: Record<string, string> = { '--batch-size': '100', '--epochs': '10', '--latent-dim': '2', '--hidden': '1024,1024', '--samples': '12', '--steps': '10', '--max-points': '1000', '--bins': '30', '--max-train': '1000', '--max-test': '1000', '--checkpoint-every': '100' };

/**
 * Parse a positive-integer flag.
 * @param flag - flag name
 * @param value - the text given
 * @returns the integer
 * @throws {@link CliError} unless it is an integer ≥ 1
 */
export function parseCountFlag(flag: string, value: string): number {
  return parseNumberFlag(flag, value, [(v) => Number.isInteger(v) && v >= 1, 'an integer ≥ 1'], COUNT_EXAMPLES[flag] ?? '100');
}

/**
 * Parse a comma-separated list of numbers, e.g. `--betas 1e-4,1e-3`.
 * @param flag - flag name
 * @param value - the text given
 * @param check - condition every entry must meet
 * @returns the numbers
 * @throws {@link CliError} naming the bad entry
 */
export function parseNumberList(flag: string, value: string, check?: [(v: number) => boolean, string]): number[] {
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw new CliError(`${flag} is empty: pass comma-separated numbers, e.g. ${flag} 1e-4,1e-3,1e-2`, { details: { exitCode: 2 } });
  return parts.map((p) => parseNumberFlag(flag, p, check));
}

/**
 * Log-spaced values from `--beta-range lo:hi:n` (n ≥ 2 values from lo to hi inclusive).
 * @param value - `lo:hi:n`
 * @returns the values
 * @throws {@link CliError} on a malformed range
 */
export function parseLogRange(value: string): number[] {
  const parts = value.split(':');
  if (parts.length !== 3) throw new CliError(`--beta-range ${JSON.stringify(value)} is not lo:hi:n: pass e.g. --beta-range 1e-4:1:5`, { details: { exitCode: 2 } });
  const positive: [(v: number) => boolean, string] = [(v) => v > 0, 'a number > 0 (the range is log-spaced)'];
  const lo = parseNumberFlag('--beta-range', parts[0]!, positive);
  const hi = parseNumberFlag('--beta-range', parts[1]!, positive);
  const n = parseNumberFlag('--beta-range', parts[2]!, [(v) => Number.isInteger(v) && v >= 2, 'a count ≥ 2 as the third part']);
  return Array.from({ length: n }, (_, i) => Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / (n - 1)));
}

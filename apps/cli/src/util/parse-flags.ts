import { CliError } from './cli-error.js';

/**
 * Parse a number flag, refusing anything that is not a finite number.
 * @param flag - flag name for the message, e.g. `--beta`
 * @param value - the text given
 * @param check - extra condition and what it requires, e.g. `[v => v >= 0, 'a number ≥ 0']`
 * @returns the number
 * @throws {@link CliError} naming the flag and the value
 */
export function parseNumberFlag(flag: string, value: string, check?: [(v: number) => boolean, string]): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v)) throw new CliError(`${flag} ${JSON.stringify(value)} is not a number: pass e.g. ${flag} 1e-3`);
  if (check && !check[0](v)) throw new CliError(`${flag} ${value} is out of range: it must be ${check[1]}`);
  return v;
}

/**
 * Parse a positive-integer flag.
 * @param flag - flag name
 * @param value - the text given
 * @returns the integer
 * @throws {@link CliError} unless it is an integer ≥ 1
 */
export function parseCountFlag(flag: string, value: string): number {
  return parseNumberFlag(flag, value, [(v) => Number.isInteger(v) && v >= 1, 'an integer ≥ 1']);
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
  if (parts.length === 0) throw new CliError(`${flag} is empty: pass comma-separated numbers, e.g. ${flag} 1e-4,1e-3,1e-2`);
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
  if (parts.length !== 3) throw new CliError(`--beta-range ${JSON.stringify(value)} is not lo:hi:n: pass e.g. --beta-range 1e-4:1:5`);
  const positive: [(v: number) => boolean, string] = [(v) => v > 0, 'a number > 0 (the range is log-spaced)'];
  const lo = parseNumberFlag('--beta-range', parts[0]!, positive);
  const hi = parseNumberFlag('--beta-range', parts[1]!, positive);
  const n = parseNumberFlag('--beta-range', parts[2]!, [(v) => Number.isInteger(v) && v >= 2, 'a count ≥ 2 as the third part']);
  return Array.from({ length: n }, (_, i) => Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / (n - 1)));
}

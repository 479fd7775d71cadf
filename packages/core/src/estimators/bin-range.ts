import { ConfigError } from '../errors/config-error.js';
import type { ActivationMatrix } from './activations.js';

/**
 * Where the equal-width bins of the binning estimator span:
 * - `data`: [min, max] of the recorded activations (the default)
 * - `tanh`: [−1, 1]; `sigmoid`: [0, 1] (the activation's range)
 * - `relu`: [0, max of the activations]
 * - `{ low, high }`: a fixed range; values outside fall into the end bins
 */
export type BinRange = 'data' | 'tanh' | 'sigmoid' | 'relu' | { readonly low: number; readonly high: number };

/**
 * Resolve a {@link BinRange} to numbers for the given activations.
 * @param range - the range option
 * @param t - the activations (read for `data` and `relu`)
 * @returns `[low, high]` with low ≤ high
 * @throws {@link ConfigError} for an unknown name or a fixed range with low ≥ high
 */
export function resolveBinRange(range: BinRange, t: ActivationMatrix): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (typeof range === 'object') {
    if (!(range.low < range.high)) {
      throw new ConfigError(`bin range needs low < high, got [${range.low}, ${range.high}]`, { details: { field: 'range' } });
    }
    return [range.low, range.high];
  }
  switch (range) {
    case 'data':
      return [min, max];
    case 'tanh':
      return [-1, 1];
    case 'sigmoid':
      return [0, 1];
    case 'relu':
      return [0, Math.max(0, max)];
    default:
      throw new ConfigError(
        `unknown bin range ${JSON.stringify(range)}: use 'data', 'tanh', 'sigmoid', 'relu' or { low, high }`,
        { details: { field: 'range', value: range } },
      );
  }
}

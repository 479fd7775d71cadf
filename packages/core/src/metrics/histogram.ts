import { ConfigError } from '../errors/config-error.js';

/** Equal-width bins over a set of values. */
export interface Histogram {
  /** Bin edges, ascending: `bins + 1` numbers from the smallest value to the largest. */
  readonly edges: number[];
  /** Values per bin; bin i holds edges[i] ≤ v < edges[i+1] (the last bin also holds the largest value). */
  readonly counts: number[];
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
}

/**
 * An equal-width histogram of finite values, from their smallest to their largest (e.g. the training rates
 * that an input's rate is compared with, Alemi, Fischer & Dillon 2018). All-equal values get one bin of width 0.
 * @param values - the values (non-finite ones are refused)
 * @param bins - number of bins, a positive integer
 * @returns edges, counts, min and max
 * @throws {@link ConfigError} for no values, a non-finite value, or a bad bin count
 * @example
 * ```ts
 * import { histogram } from '@vib/core';
 * histogram([0, 1, 1, 2, 4], 2); // { edges: [0, 2, 4], counts: [3, 2], min: 0, max: 4 }
 * ```
 */
export function histogram(values: ArrayLike<number>, bins: number): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new ConfigError(`bins must be a positive integer, got ${String(bins)}`, { details: { field: 'bins', value: bins } });
  if (values.length === 0) throw new ConfigError('a histogram needs at least one value, got none');
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new ConfigError(`histogram values must be finite, got ${String(v)} at index ${i}`, { details: { field: 'values', value: v } });
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max === min) return { edges: [min, max], counts: [values.length], min, max };
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.min(bins - 1, Math.floor((values[i]! - min) / width))]! += 1;
  return { edges, counts, min, max };
}

/**
 * The q-quantile of values by linear interpolation between order statistics (type 7, the default of R and NumPy):
 * q = 0.5 is the median.
 * @param values - the values
 * @param q - in [0, 1]
 * @returns the quantile
 * @throws {@link ConfigError} for no values, a NaN among them, or q outside [0, 1]
 * @example
 * ```ts
 * import { quantile } from '@vib/core';
 * quantile([3, 1, 2, 10], 0.5); // 2.5
 * ```
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new ConfigError(`q must lie in [0, 1], got ${String(q)}`, { details: { field: 'q', value: q } });
  if (values.length === 0) throw new ConfigError('a quantile needs at least one value, got none');
  // a NaN sorts anywhere and answers for its neighbours: refuse it, as histogram does
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new ConfigError(`a quantile of values with NaN at index ${i} has no meaning: drop or fix that value`, { details: { index: i } });
  }
  const sorted = Array.from(values).sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

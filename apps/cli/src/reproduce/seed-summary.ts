import { pairedTTest, type PairedTTest } from '@vib/core';

/** Mean and spread of one metric over seeds. */
export interface MetricSummary {
  readonly mean: number;
  /** Sample standard deviation (0 for one seed). */
  readonly sd: number;
  /** Standard error of the mean (sd/√n). */
  readonly se: number;
  readonly n: number;
  readonly values: number[];
}

/**
 * Summarize each metric over seeds.
 * @param perSeed - metrics of each seed
 * @returns mean, sd, standard error and the values per metric
 */
export function summarizeSeeds(perSeed: readonly Record<string, number>[]): Record<string, MetricSummary> {
  const names = [...new Set(perSeed.flatMap((m) => Object.keys(m)))];
  return Object.fromEntries(
    names.map((name) => {
      const values = perSeed.map((m) => m[name] ?? NaN);
      const n = values.length;
      const mean = values.reduce((a, v) => a + v, 0) / n;
      const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
      return [name, { mean, sd, se: sd / Math.sqrt(n), n, values }];
    }),
  );
}

/** A paired comparison of two metrics over the same seeds. */
export interface PairedComparison extends PairedTTest {
  readonly a: string;
  readonly b: string;
  /** Whether the gap is larger than its seed noise at the 5% level (p < 0.05). */
  readonly exceedsNoise: boolean;
  /** One sentence for people. */
  readonly verdict: string;
}

/**
 * Paired t-test of metric a against metric b over seeds, or null with fewer than 2 seeds, or when a seed lacks a
 * finite value of either (the test would have no meaning).
 * @param perSeed - metrics of each seed
 * @param a - first metric
 * @param b - second metric
 * @returns the comparison, or null
 */
export function compareSeeds(perSeed: readonly Record<string, number>[], a: string, b: string): PairedComparison | null {
  if (perSeed.length < 2) return null;
  if (perSeed.some((m) => !Number.isFinite(m[a]) || !Number.isFinite(m[b]))) return null;
  const t = pairedTTest(perSeed.map((m) => m[a]!), perSeed.map((m) => m[b]!));
  const exceedsNoise = t.p < 0.05;
  const gap = `${a} − ${b} = ${t.meanDiff.toPrecision(3)} ± ${t.standardError.toPrecision(2)} (SE over ${t.n} seeds), t = ${t.t.toFixed(2)}, p = ${t.p.toPrecision(2)}`;
  return { ...t, a, b, exceedsNoise, verdict: `${gap}: ${exceedsNoise ? 'larger than its seed noise (p < 0.05)' : 'within its seed noise (p ≥ 0.05)'}` };
}

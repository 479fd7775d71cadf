import { ConfigError } from '../errors/config-error.js';

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7; about 15 significant digits). */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    for (const num of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/**
 * The regularized incomplete beta function I_x(a, b).
 * @param x - in [0, 1]
 * @param a - > 0
 * @param b - > 0
 * @returns I_x(a, b)
 * @throws {@link ConfigError} outside that domain (it returned NaN, or 1 for x > 1)
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new ConfigError(`regularizedBeta(x = ${x}, a = ${a}, b = ${b}): needs x in [0, 1] and finite a, b > 0`, { details: { x, a, b } });
  }
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** What {@link pairedTTest} returns. */
export interface PairedTTest {
  /** Number of pairs. */
  readonly n: number;
  /** Mean of the differences a − b. */
  readonly meanDiff: number;
  /** Sample standard deviation of the differences. */
  readonly sdDiff: number;
  /** Standard error of the mean difference. */
  readonly standardError: number;
  /** t = meanDiff / standardError (±Infinity when every difference is the same non-zero value). */
  readonly t: number;
  /** Degrees of freedom n − 1. */
  readonly df: number;
  /** Two-sided p-value of "the mean difference is 0". */
  readonly p: number;
}

/**
 * Paired t-test of a − b over matched pairs (e.g. two models trained with the same seeds): whether their gap is
 * larger than the seed-to-seed noise.
 * @param a - first measurements
 * @param b - second measurements, paired by index
 * @returns the mean difference, its standard error, t, df and the two-sided p-value
 * @throws {@link ConfigError} when the lengths differ, there are fewer than 2 pairs, or a value is not finite
 * @example
 * ```ts
 * pairedTTest([1, 2, 3, 4], [0, 0, 0, 0]).p; // 0.0305 (t = 3.873, df = 3)
 * ```
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): PairedTTest {
  if (a.length !== b.length || a.length < 2) {
    throw new ConfigError(`a paired t-test needs at least 2 pairs of equal-length samples, got ${a.length} and ${b.length}: run more seeds (e.g. --seeds 0,1,2)`);
  }
  const n = a.length;
  for (const [name, s] of [['a', a], ['b', b]] as const) {
    const i = s.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) throw new ConfigError(`a paired t-test of ${name}[${i}] = ${s[i]} has no meaning: every measurement must be finite (a failed run's NaN?)`, { details: { sample: name, index: i } });
  }
  const d = a.map((v, i) => v - b[i]!);
  const meanDiff = d.reduce((s, v) => s + v, 0) / n;
  const sdDiff = Math.sqrt(d.reduce((s, v) => s + (v - meanDiff) ** 2, 0) / (n - 1));
  const standardError = sdDiff / Math.sqrt(n);
  const df = n - 1;
  if (standardError === 0) return { n, meanDiff, sdDiff, standardError, t: meanDiff === 0 ? 0 : Math.sign(meanDiff) * Infinity, df, p: meanDiff === 0 ? 1 : 0 };
  const t = meanDiff / standardError;
  return { n, meanDiff, sdDiff, standardError, t, df, p: regularizedBeta(df / (df + t * t), df / 2, 0.5) };
}

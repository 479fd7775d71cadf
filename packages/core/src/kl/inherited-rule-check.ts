import * as tf from '@tensorflow/tfjs';
import type { Distribution } from '../distributions/distribution.js';
import { InheritedKLError } from '../errors/inherited-kl-error.js';
import { expectShape } from './monte-carlo-kl.js';
import type { KLEntry } from './resolve.js';

/** The methods whose own definition makes a subclass a density of its own, as far as its KL goes. */
const DENSITY_METHODS = ['sample', 'logProb', 'logProbPerDim'] as const;

/** The least draws per row behind the check's Monte Carlo estimate. */
export const INHERITED_CHECK_SAMPLES = 256;
/** Draws in all (rows × draws per row) the check aims for, where a small batch allows more per row (at most 2¹⁴). */
const CHECK_DRAWS = 1 << 16;
/** Standard errors the estimate may differ from the inherited rule by before the rule is refused. */
export const INHERITED_CHECK_Z = 6;
/** The most floats of z one chunk of the check's draws holds (8 MiB), so a large batch is checked in pieces. */
const CHUNK_FLOATS = 1 << 21;
/** The check draws from its own seed, the same every time, and never from the caller's stream. */
const CHECK_SEED = 0x1c1;

/**
 * The density methods that `d`, or a class between it and the class whose own static `typeName` is `ruleName`,
 * defines anew. Empty when `d` is that class's instance, or when no class on its chain has that static name (the
 * name came from the instance itself: nothing was inherited).
 * @param d - p or q of a KL
 * @param ruleName - the type name the matched rule is registered for on d's side
 * @returns method names, such as `['logProb']`
 */
export function densityOverrides(d: Distribution, ruleName: string): string[] {
  const found: string[] = [];
  for (let o: object | null = d; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    if (o !== d && Object.hasOwn(o, 'constructor')) {
      const ctor = (o as { constructor: { typeName?: unknown } }).constructor;
      if (Object.hasOwn(ctor, 'typeName') && ctor.typeName === ruleName) return found;
    }
    for (const m of DENSITY_METHODS) if (Object.hasOwn(o, m) && !found.includes(m)) found.push(m);
  }
  return [];
}

/** Whether d's class (a class, not a plain object) has a static `typeName` of its own that d answers to. */
function ownTypeName(d: Distribution): boolean {
  const ctor = (d as { constructor?: { typeName?: unknown } }).constructor;
  return ctor === undefined || ctor === Object || (Object.hasOwn(ctor, 'typeName') && ctor.typeName === d.typeName);
}

/** A distribution as messages name it: its type name, and its class where that says more. */
function named(d: Distribution): string {
  const cls = (d as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof cls === 'string' && cls !== '' && cls !== d.typeName ? `${d.typeName} (class ${cls})` : d.typeName;
}

/** Per row: the mean and variance of `n` draws of log p(z) − log q(z), z ~ p, in chunks that bound memory. */
function ownEstimate(p: Distribution, q: Distribution, n: number): { mean: Float64Array; variance: Float64Array } {
  const rows = Math.max(p.batchSize, q.batchSize);
  const chunk = Math.max(1, Math.min(n, Math.floor(CHUNK_FLOATS / Math.max(1, rows * p.eventSize))));
  const [sum, sumSq] = [new Float64Array(rows), new Float64Array(rows)];
  for (let done = 0, c = 0; done < n; done += chunk, c++) {
    const m = Math.min(chunk, n - done);
    const terms = tf.tidy(() => {
      const z = p.sample(m, CHECK_SEED + c);
      const want = z.shape.slice(0, -1);
      return tf.sub(expectShape(p, 'logProb', p.logProb(z), want), expectShape(q, 'logProb', q.logProb(z), want));
    });
    const values = terms.dataSync();
    terms.dispose();
    const width = values.length / m;
    for (let s = 0; s < m; s++) {
      for (let b = 0; b < width; b++) {
        const v = values[s * width + b] ?? Number.NaN;
        sum[b] = (sum[b] ?? 0) + v;
        sumSq[b] = (sumSq[b] ?? 0) + v * v;
      }
    }
  }
  const mean = sum.map((s) => s / n);
  const variance = sumSq.map((s, b) => Math.max(0, (s - n * (mean[b] ?? 0) ** 2) / (n - 1)));
  return { mean, variance };
}

/**
 * Where KL(p ‖ q) dispatched to a rule registered for a class that p or q extends, while p's or q's own class
 * (or one between) defines its own `sample`, `logProb` or `logProbPerDim`, check the rule's value against a Monte
 * Carlo estimate from their own methods: 2¹⁶ draws in all, at least {@link INHERITED_CHECK_SAMPLES} and at most 2¹⁴
 * a row, from a fixed seed (not the caller's stream). Where the batch's mean, or one row, lies further than
 * {@link INHERITED_CHECK_Z} standard errors (plus 10⁻³·(1 + |KL|) nats for float32 rounding) from the rule's, the
 * rule is refused. A subclass that redefines a method for speed or numerics but keeps
 * its parent's density passes; one whose density differs by more than the estimate's noise does not. The caller
 * runs it once per pair of classes, and not on webgpu, which has no synchronous read in Node.
 * @param p - the first distribution
 * @param q - the second
 * @param entry - the rule dispatch chose
 * @param closed - the rule's KL per row, read back by the caller
 * @throws {@link InheritedKLError} naming both classes, the inherited rule, the methods, both values and the fix
 * @throws {@link ShapeError} when an overridden `logProb` returns a shape other than its contract's
 */
export function checkInheritedRule(p: Distribution, q: Distribution, entry: KLEntry, closed: ArrayLike<number>): void {
  const overrides = [
    ...densityOverrides(p, entry.p).map((m) => `${named(p)}.${m}`),
    ...densityOverrides(q, entry.q).map((m) => `${named(q)}.${m}`),
  ];
  if (overrides.length === 0) return;
  if (typeof p.sample !== 'function' || typeof p.logProb !== 'function' || typeof q.logProb !== 'function') return;
  // p's draws give one row each of p's batch; where only q has a batch (p's of 1), the rows are not p's to check
  if (p.batchSize !== closed.length) return;
  const rows = closed.length;
  const n = Math.min(1 << 14, Math.max(INHERITED_CHECK_SAMPLES, Math.ceil(CHECK_DRAWS / rows)));
  const { mean, variance } = ownEstimate(p, q, n);
  // the batch as a whole (a density off by a little in every row), then each row (off by more in a few)
  const findings: [string, number, number, number][] = [];
  let [sumRule, sumOwn, sumVar] = [0, 0, 0];
  for (let b = 0; b < rows; b++) {
    const [c, m, v] = [closed[b] ?? Number.NaN, mean[b] ?? Number.NaN, variance[b] ?? 0];
    [sumRule, sumOwn, sumVar] = [sumRule + c, sumOwn + m, sumVar + v];
    findings.push([`in batch row ${b}`, c, m, Math.sqrt(v / n)]);
  }
  if (rows > 1) findings.unshift([`averaged over the batch's ${rows} rows`, sumRule / rows, sumOwn / rows, Math.sqrt(sumVar / n) / rows]);
  const off = findings.find(([, c, m, se]) => Number.isFinite(m) && Math.abs(c - m) > INHERITED_CHECK_Z * se + 1e-3 * (1 + Math.abs(c)));
  if (off === undefined) return;
  const [where, c, m, se] = off;
  const rule = `${entry.p}‖${entry.q}`;
  const unnamed = [p, q].filter((d) => !ownTypeName(d)).map((d) => (d as { constructor: { name: string } }).constructor.name);
  const fix =
    unnamed.length === 0
      ? `register a rule for exactly (${p.typeName}, ${q.typeName})`
      : `give class ${unnamed.join(' and class ')} a static typeName of its own, then register a rule for exactly that pair`;
  throw new InheritedKLError(
    `KL(${named(p)} ‖ ${named(q)}) reached the rule registered for ${rule}, but ${overrides.join(' and ')} ` +
      `${overrides.length === 1 ? 'is' : 'are'} defined anew, and the two disagree: ${where} the rule gives ${c.toPrecision(5)} nats, ` +
      `their own sample and logProb ${m.toPrecision(5)} ± ${se.toPrecision(2)} nats (Monte Carlo, ${n} draws a row). ` +
      `The rule is for ${rule}'s densities, not these: ${fix} ` +
      `(its closed form, or monteCarloKL for an estimate) with klRegistry.register or a kl plugin`,
    { details: { p: p.typeName, q: q.typeName, rule, overrides, where, ruleNats: c, estimateNats: m, standardError: se, samples: n } },
  );
}

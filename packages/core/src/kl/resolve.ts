import { ConfigError } from '../errors/config-error.js';
import { VibError } from '../errors/vib-error.js';
import type { Distribution } from '../distributions/distribution.js';
import type { DistributionRef, KLRule } from './kl-types.js';
import { editDistance } from '../config/edit-distance.js';

/** One registered rule, keyed by the registered type names of p and q. */
export interface KLEntry {
  readonly p: string;
  readonly q: string;
  readonly rule: KLRule;
}

/**
 * The registered type name a KL rule is keyed by: a string as given, or a class's own static
 * `typeName` (as tfjs's `registerClass` reads a static `className`). Never `constructor.name`:
 * minifiers rename classes, and a second copy of a package has other classes with the same names.
 * @param ref - a type name or a class with its own static `typeName`
 * @returns the name
 * @throws {@link ConfigError} when a class has no static `typeName` of its own
 */
export function typeNameOf(ref: DistributionRef): string {
  if (typeof ref === 'string') {
    if (ref.length === 0) throw new ConfigError('a KL rule needs non-empty distribution type names, got ""');
    return ref;
  }
  if (Object.hasOwn(ref, 'typeName') && typeof ref.typeName === 'string') return ref.typeName;
  throw new ConfigError(
    `KL rules are keyed by type names, and class ${ref.name} has no static typeName of its own: add \`static override readonly typeName = '${ref.name}'\` or register with the name as a string`,
    { details: { field: 'typeName', value: ref.name } },
  );
}

/**
 * The type names a distribution answers to, most specific first: its own `typeName`, then the
 * static `typeName` of each class on its prototype chain. Works across copies of `@vib/core`,
 * since only strings are compared.
 * @param d - a distribution
 * @returns the names, without repeats
 */
export function typeNameChain(d: Distribution): string[] {
  const chain = [d.typeName];
  for (let proto = Object.getPrototypeOf(d) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    const ctor = (proto as { constructor?: { typeName?: unknown } }).constructor;
    if (ctor !== undefined && Object.hasOwn(ctor, 'typeName') && typeof ctor.typeName === 'string' && !chain.includes(ctor.typeName)) {
      chain.push(ctor.typeName);
    }
  }
  return chain;
}

/**
 * Pick the most specific rule for (p, q): among rules whose p-name is on p's chain of type names
 * and q-name on q's, the one with the least summed distance (0 = the distribution's own name).
 * Ties are an error.
 * @param entries - registered rules
 * @param pc - p's type-name chain ({@link typeNameChain})
 * @param qc - q's type-name chain
 * @returns the rule, or undefined when none applies
 * @throws {@link VibError} `E_AMBIGUOUS_KL` when several rules tie for most specific
 */
export function resolveKL(entries: readonly KLEntry[], pc: readonly string[], qc: readonly string[]): KLEntry | undefined {
  let best: KLEntry[] = [];
  let bestDistance = Infinity;
  for (const e of entries) {
    const dp = pc.indexOf(e.p);
    const dq = qc.indexOf(e.q);
    if (dp < 0 || dq < 0) continue;
    const d = dp + dq;
    if (d < bestDistance) {
      best = [e];
      bestDistance = d;
    } else if (d === bestDistance) {
      best.push(e);
    }
  }
  if (best.length > 1) {
    const names = best.map((e) => `${e.p}‖${e.q}`);
    const [p, q] = [pc[0], qc[0]];
    throw new VibError(
      'E_AMBIGUOUS_KL',
      `KL(${p} ‖ ${q}) is ambiguous: rules ${names.join(' and ')} are equally specific; register a rule for exactly (${p}, ${q})`,
      { details: { p, q, candidates: names } },
    );
  }
  return best[0];
}

/**
 * Whether two different type names look like one name misspelled: equal but for case, or (names of 4 or more
 * characters) one edit apart, two for names of 10 or more.
 * @param a - a type name
 * @param b - another
 * @returns true for a likely misspelling
 */
export function spelledAlike(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const shorter = Math.min(a.length, b.length);
  if (shorter < 4) return false;
  const limit = Math.max(a.length, b.length) >= 10 ? 2 : 1;
  return editDistance(a, b) <= limit;
}

/**
 * Rules that would apply to (p, q) but for spelling: each of their names is on the matching chain or spelled
 * alike a name on it, and at least one is not on it. A pair with no rule falls back to a Monte Carlo estimate, so a
 * rule registered under a misspelled type name would otherwise be ignored without a word.
 * @param entries - registered rules
 * @param pc - p's type-name chain
 * @param qc - q's type-name chain
 * @returns the rules that look meant for this pair
 */
export function nearMissRules(entries: readonly KLEntry[], pc: readonly string[], qc: readonly string[]): KLEntry[] {
  const fits = (name: string, chain: readonly string[]): 'on' | 'alike' | 'no' =>
    chain.includes(name) ? 'on' : chain.some((c) => spelledAlike(name, c)) ? 'alike' : 'no';
  return entries.filter((e) => {
    const [fp, fq] = [fits(e.p, pc), fits(e.q, qc)];
    return fp !== 'no' && fq !== 'no' && (fp === 'alike' || fq === 'alike');
  });
}

import { VibError } from '../errors/vib-error.js';
import type { Distribution } from '../distributions/distribution.js';
import type { DistributionClass, KLRule } from './kl-types.js';

/** One registered rule. */
export interface KLEntry {
  readonly P: DistributionClass;
  readonly Q: DistributionClass;
  readonly rule: KLRule;
}

/**
 * Name a class for messages: its own static `typeName` (not one inherited from a parent class),
 * else its JavaScript name.
 * @param c - a class
 * @returns the name
 */
export function className(c: DistributionClass): string {
  return Object.hasOwn(c, 'typeName') && typeof c.typeName === 'string' ? c.typeName : c.name;
}

/**
 * Constructors on an object's prototype chain, most derived first.
 * @param obj - an instance
 * @returns the chain of constructors
 */
function constructorChain(obj: object): unknown[] {
  const chain: unknown[] = [];
  for (let proto = Object.getPrototypeOf(obj) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    chain.push((proto as { constructor?: unknown }).constructor);
  }
  return chain;
}

/**
 * Pick the most specific rule for (p, q): among rules whose P is on p's prototype chain and Q on
 * q's, the one with the least summed distance (0 = exact class). Ties are an error.
 * @param entries - registered rules
 * @param p - the first distribution
 * @param q - the second
 * @returns the rule, or undefined when none applies
 * @throws {@link VibError} `E_AMBIGUOUS_KL` when several rules tie for most specific
 */
export function resolveKL(entries: readonly KLEntry[], p: Distribution, q: Distribution): KLEntry | undefined {
  const pc = constructorChain(p);
  const qc = constructorChain(q);
  let best: KLEntry[] = [];
  let bestDistance = Infinity;
  for (const e of entries) {
    const dp = pc.indexOf(e.P);
    const dq = qc.indexOf(e.Q);
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
    const names = best.map((e) => `${className(e.P)}‖${className(e.Q)}`);
    throw new VibError(
      'E_AMBIGUOUS_KL',
      `KL(${p.typeName} ‖ ${q.typeName}) is ambiguous: rules ${names.join(' and ')} are equally specific; ` +
        `register a rule for exactly (${p.typeName}, ${q.typeName})`,
      { details: { p: p.typeName, q: q.typeName, candidates: names } },
    );
  }
  return best[0];
}

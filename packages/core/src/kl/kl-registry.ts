import * as tf from '@tensorflow/tfjs';
import type { Distribution } from '../distributions/distribution.js';
import { ConfigError } from '../errors/config-error.js';
import { DuplicatePluginError } from '../errors/duplicate-plugin-error.js';
import { ShapeError } from '../errors/shape-error.js';
import type { KLRegistry, KLRegistryOptions, KLResult, KLRule, KLRuleContext, KLRuleResult } from './kl-types.js';
import { getDefaultValidateArgs } from '../distributions/validate-args.js';
import { expectFiniteKL } from './finite-check.js';
import { checkInheritedRule } from './inherited-rule-check.js';
import { checkRuleResult, expectNonNegativeRule } from './rule-result-check.js';
import { monteCarloKL } from './monte-carlo-kl.js';
import { registerDefaultKLs } from './register-default-kls.js';
import { nearMissRules, resolveKL, typeNameChain, typeNameOf, type KLEntry } from './resolve.js';

const DEFAULT_SAMPLES = 64;

function checkSamples(where: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new ConfigError(`${where}: the number of Monte Carlo samples must be a positive integer, got ${String(n)}`, {
      details: { field: 'samples', value: n },
    });
  }
  return n;
}

function checkPair(p: Distribution, q: Distribution): void {
  if (p.eventSize !== q.eventSize) {
    throw new ShapeError(
      `KL(${p.typeName} ‖ ${q.typeName}) needs equal event sizes, got ${p.eventSize} and ${q.eventSize}`,
      { details: { expected: p.eventSize, actual: q.eventSize } },
    );
  }
  if (p.batchSize !== q.batchSize && p.batchSize !== 1 && q.batchSize !== 1) {
    throw new ShapeError(
      `KL(${p.typeName} ‖ ${q.typeName}) needs batch sizes that are equal or 1, got ${p.batchSize} and ${q.batchSize}`,
      { details: { expected: p.batchSize, actual: q.batchSize } },
    );
  }
}

/** Run a rule, checking what it returns ({@link checkRuleResult}), disposing its intermediates and keeping only its outputs. */
function runRule(entry: KLEntry, p: Distribution, q: Distribution, context: KLRuleContext): KLResult {
  let samples = 0;
  const out = tf.tidy(() => {
    const r = checkRuleResult(`${entry.p}‖${entry.q}`, entry.rule(p, q, context), Math.max(p.batchSize, q.batchSize), p.eventSize);
    samples = r.samples ?? 0;
    return r.perDim === null ? [r.total] : [r.total, r.perDim];
  });
  const [total, perDim] = out as [tf.Tensor, tf.Tensor | undefined];
  return { total, perDim: perDim ?? null, exact: samples === 0, samples };
}

/**
 * Create a KL registry pre-loaded with the closed forms of {@link registerDefaultKLs}
 * (dispatch in the manner of TensorFlow Probability's `RegisterKL` and torch's `register_kl`).
 *
 * Rules are keyed by registered type names (a distribution's `typeName` and the static `typeName`s
 * up its class chain), never by class identity, so distributions built by a second copy of
 * `@vib/core` dispatch to the same rules. The registered pair with the least summed distance wins,
 * resolved pairs are cached per pair of name chains, and the cache is cleared on every `register`.
 * Pairs without a rule are estimated by Monte Carlo (`exact: false`), with a warning (`options.warn`) where a rule is
 * registered under type names that differ from the pair's only in spelling. A rule reached through a parent class, by a
 * class that defines its own `sample`, `logProb` or `logProbPerDim`, is checked once per pair of classes against a
 * Monte Carlo estimate from those methods, and refused with {@link InheritedKLError} where they disagree
 * ({@link densityOverrides} lists what a class redefines).
 * @param options - default Monte Carlo sample count (64), and where the warning goes
 * @returns a new registry (there is no module-level singleton)
 * @throws {@link ConfigError} when `monteCarloSamples` is not a positive integer
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createKLRegistry, DiagonalGaussian, StandardNormal } from '@vib/core';
 * const kl = createKLRegistry();
 * const p = new DiagonalGaussian(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]]));
 * const { total, perDim, exact } = kl.kl(p, new StandardNormal(2));
 * // total = [0.5] nats, perDim = [[0.5, 0]], exact = true
 * ```
 */
export function createKLRegistry(options: KLRegistryOptions = {}): KLRegistry {
  const defaultSamples = checkSamples('createKLRegistry', options.monteCarloSamples ?? DEFAULT_SAMPLES);
  const entries: KLEntry[] = [];
  const cache = new Map<string, KLEntry | null>();
  // the pairs of classes whose first use of their rule was checked (sign, inheritance): a class is told apart by its
  // constructor, weakly held, so classes made on the fly are not kept alive
  let checked = new WeakMap<object, WeakSet<object>>();

  /** The rule for (p, q), or null, with the pair's name chains and their cache key (read once per call). */
  const lookup = (p: Distribution, q: Distribution): { entry: KLEntry | null; key: string; pc: string[]; qc: string[] } => {
    const pc = typeNameChain(p);
    const qc = typeNameChain(q);
    const key = `${pc.join('<')}‖${qc.join('<')}`;
    let entry = cache.get(key);
    if (entry === undefined) {
      entry = resolveKL(entries, pc, qc) ?? null;
      cache.set(key, entry);
    }
    return { entry, key, pc, qc };
  };
  // A pair estimated by Monte Carlo while a rule is registered under names spelled alike is said so, once per pair of
  // chains (again after a register): such a rule would otherwise be ignored without a word
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let told = new Set<string>();
  const tellNearMisses = (key: string, pc: readonly string[], qc: readonly string[]): void => {
    if (told.has(key)) return;
    told.add(key);
    const near = nearMissRules(entries, pc, qc);
    if (near.length === 0) return;
    const many = near.length > 1;
    warn(
      `KL(${pc[0]} ‖ ${qc[0]}) has no rule, so it is estimated by Monte Carlo (not exact); the rule${many ? 's' : ''} registered for ` +
        `${near.map((e) => `${e.p}‖${e.q}`).join(', ')} differ${many ? '' : 's'} from these type names only in spelling. If meant for this pair, ` +
        `register ${many ? 'them' : 'it'} under the names the distributions give: ${pc.join(' < ')} for p and ${qc.join(' < ')} for q.`,
    );
  };
  // One read of a rule's values serves every check that needs it: finiteness on validated calls; a closed form below 0
  // on the pair's first use and on validated calls; on the first use only, a rule inherited by a class with a density
  // of its own against that density (Monte Carlo, so once). Training's hot path (validateArgs off) reads nothing
  // after a pair's first use.
  const checkResult = (p: Distribution, q: Distribution, entry: KLEntry, result: KLResult, validate: boolean): void => {
    if (tf.getBackend() === 'webgpu') return; // no synchronous read in Node: a wrong rate shows in the loss
    const [pc, qc] = [(p as { constructor?: unknown }).constructor, (q as { constructor?: unknown }).constructor];
    const classes = typeof pc === 'function' && typeof qc === 'function';
    const first = result.exact && (!classes || !(checked.get(pc)?.has(qc) ?? false));
    if (!validate && !first) return;
    const values = result.total.dataSync();
    if (validate) expectFiniteKL(p.typeName, q.typeName, values);
    if (!result.exact) return;
    expectNonNegativeRule(p.typeName, q.typeName, `${entry.p}‖${entry.q}`, values, p.eventSize);
    if (!first) return;
    checkInheritedRule(p, q, entry, values);
    if (classes) checked.set(pc, (checked.get(pc) ?? new WeakSet<object>()).add(qc));
  };

  const registry: KLRegistry = {
    register(P, Q, rule, registerOptions = {}) {
      const p = typeNameOf(P);
      const q = typeNameOf(Q);
      const at = entries.findIndex((e) => e.p === p && e.q === q);
      const entry: KLEntry = { p, q, rule: rule as unknown as KLRule };
      if (at >= 0) {
        if (registerOptions.override !== true) {
          throw new DuplicatePluginError('KL rule', `${p}‖${q}`);
        }
        entries[at] = entry;
      } else {
        entries.push(entry);
      }
      cache.clear();
      checked = new WeakMap();
      told = new Set();
    },
    kl(p, q, klOptions = {}) {
      checkPair(p, q);
      const context: KLRuleContext = {
        samples: checkSamples('kl', klOptions.samples ?? defaultSamples),
        seed: klOptions.seed,
      };
      const { entry, key, pc, qc } = lookup(p, q);
      if (entry !== null) {
        const result = runRule(entry, p, q, context);
        try {
          checkResult(p, q, entry, result, klOptions.validateArgs ?? getDefaultValidateArgs());
        } catch (e) {
          tf.dispose([result.total, ...(result.perDim ? [result.perDim] : [])]);
          throw e;
        }
        return result;
      }
      tellNearMisses(key, pc, qc);
      const mc = monteCarloKL(p, q, context);
      return { total: mc.total, perDim: mc.perDim, exact: false, samples: context.samples };
    },
    hasRule(p, q) {
      return lookup(p, q).entry !== null;
    },
    pairs() {
      return entries.map((e) => `${e.p}‖${e.q}`);
    },
  };
  registerDefaultKLs(registry);
  return registry;
}

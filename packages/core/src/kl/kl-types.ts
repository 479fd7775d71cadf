import type * as tf from '@tensorflow/tfjs';
import type { Distribution } from '../distributions/distribution.js';

/**
 * A distribution class with a static `typeName` (as the built-in classes have): KL rules registered
 * with a class are keyed by that name, never by the class itself.
 * @typeParam D - the instances it constructs
 */
export type DistributionClass<D extends Distribution = Distribution> = (abstract new (...args: never[]) => D) & {
  readonly typeName?: string;
};

/**
 * What a KL rule is registered for: a distribution type name (`'DiagonalGaussian'`), or a class whose
 * own static `typeName` gives it.
 * @typeParam D - the instances the class constructs
 */
export type DistributionRef<D extends Distribution = Distribution> = string | DistributionClass<D>;

/** What a KL rule returns. */
export interface KLRuleResult {
  /** KL(p ‖ q) of each row in nats, shape [B]. */
  total: tf.Tensor;
  /** Per-dimension KL in nats, shape [B,K], when the pair factorizes over dimensions; else null. */
  perDim: tf.Tensor | null;
  /** Set by rules that estimate by sampling: the number of samples used (absent or 0 for a closed form). */
  samples?: number;
}

/** Settings a KL rule may use (rules that sample read them; closed forms ignore them). */
export interface KLRuleContext {
  /** Number of Monte Carlo samples to use. */
  readonly samples: number;
  /** Seed for reproducible samples, if given. */
  readonly seed: number | undefined;
}

/**
 * A KL rule for one pair of classes: computes KL(p ‖ q) with tf ops, so gradients flow.
 * A rule may throw {@link InfiniteKLError} when the divergence is infinite.
 * @typeParam P - class of p
 * @typeParam Q - class of q
 */
export type KLRule<P extends Distribution = Distribution, Q extends Distribution = Distribution> = (
  p: P,
  q: Q,
  context: KLRuleContext,
) => KLRuleResult;

/** The result of {@link KLRegistry.kl}. */
export interface KLResult {
  /** KL(p ‖ q) of each row in nats, shape [B]. */
  total: tf.Tensor;
  /** Per-dimension KL in nats, shape [B,K], when the pair factorizes; else null. */
  perDim: tf.Tensor | null;
  /** True for a closed form, false for a sampled estimate. */
  exact: boolean;
  /** Number of samples behind the estimate (0 when exact). */
  samples: number;
}

/** Options for {@link KLRegistry.kl}. */
export interface KLOptions {
  /** Monte Carlo samples, for the fallback and for sampling rules (default: the registry's setting). */
  samples?: number;
  /** Seed for reproducible Monte Carlo estimates. */
  seed?: number;
  /**
   * Check that a closed form came out finite (reads it back: a device sync); an infinite KL then raises
   * {@link InfiniteKLError} exactly as a uniform box outside its prior and a Monte Carlo estimate do.
   * Default: the distributions' default, `getDefaultValidateArgs()` (true); training passes false.
   */
  validateArgs?: boolean;
}

/** Options for {@link KLRegistry.register}. */
export interface KLRegisterOptions {
  /** Replace a rule already registered for exactly this pair instead of throwing. */
  override?: boolean;
}

/** Options for {@link createKLRegistry}. */
export interface KLRegistryOptions {
  /** Default number of Monte Carlo samples (default 64). */
  monteCarloSamples?: number;
  /**
   * Where the registry's one warning per pair goes (default `console.warn`): a pair without a rule, estimated by
   * Monte Carlo, while a rule is registered under type names that differ from the pair's only in spelling.
   */
  warn?: (message: string) => void;
}

/**
 * KL dispatch on the registered type names of p and q: the most specific registered pair wins, and pairs
 * without a rule fall back to a Monte Carlo estimate E_p[log p − log q].
 */
export interface KLRegistry {
  /**
   * Register a rule for KL(P ‖ Q), keyed by the two type names. Clears the cache of resolved pairs.
   * @param P - type name of p, or a class with a static `typeName`
   * @param Q - type name of q, or a class with a static `typeName`
   * @param rule - computes the divergence
   * @param options - `{ override: true }` to replace an existing rule for exactly (P, Q)
   * @throws {@link DuplicatePluginError} when (P, Q) already has a rule and override is not set
   * @throws {@link ConfigError} when a class has no static `typeName` of its own
   */
  register<P extends Distribution, Q extends Distribution>(
    P: DistributionRef<P>,
    Q: DistributionRef<Q>,
    rule: KLRule<P, Q>,
    options?: KLRegisterOptions,
  ): void;
  /**
   * KL(p ‖ q) per batch row, in nats.
   * @param p - the first distribution (e.g. the posterior p(z|x))
   * @param q - the second (e.g. the prior r(z))
   * @param options - sample count and seed for Monte Carlo estimates
   * @returns total [B], perDim [B,K] or null, whether exact, and the sample count
   * @throws {@link ShapeError} when event sizes differ or batch sizes do not broadcast
   * @throws {@link InfiniteKLError} when the divergence is infinite
   * @throws {@link NoKLError} when there is no rule and no Monte Carlo fallback is possible
   * @throws {@link InheritedKLError} when a rule reached through a parent class disagrees with the class's own
   *   redefined `sample`/`logProb`/`logProbPerDim` (checked once per pair of classes)
   * @throws {@link VibError} with code `E_AMBIGUOUS_KL` when two rules are equally specific
   */
  kl(p: Distribution, q: Distribution, options?: KLOptions): KLResult;
  /**
   * Whether KL(p ‖ q) has a registered rule (else it would be estimated by Monte Carlo).
   * @param p - the first distribution
   * @param q - the second
   * @returns true when a rule resolves
   * @throws {@link VibError} with code `E_AMBIGUOUS_KL` when two rules are equally specific
   */
  hasRule(p: Distribution, q: Distribution): boolean;
  /**
   * The registered pairs, as `P‖Q` type names, in registration order.
   * @returns pair names
   */
  pairs(): string[];
}

import type { Distribution } from '../distributions/distribution.js';
import type { KLRule } from '../kl/kl-types.js';
import type { PluginBase } from '../registry/plugin.js';

/**
 * A KL rule plugin: registered under kind `kl`, it gives KL(p ‖ q) for one pair of registered
 * distribution type names. A prior package ships the closed forms for its prior this way, and every
 * bottleneck built with the registry uses them (see `klRegistryFor`); a rule here takes precedence
 * over a built-in rule for the same pair. Pairs without a rule are estimated by Monte Carlo.
 * @typeParam P - the type of p the rule reads
 * @typeParam Q - the type of q the rule reads
 * @example
 * ```ts
 * registry.register('kl', {
 *   name: 'DiagonalGaussian‖StudentT',
 *   description: 'closed-form bound for a Gaussian posterior against a Student-t prior',
 *   p: 'DiagonalGaussian',
 *   q: 'StudentT',
 *   rule: (p, q) => ({ total: tf.zeros([p.batchSize]), perDim: null }),
 * });
 * ```
 */
export interface KLPlugin<P extends Distribution = any, Q extends Distribution = any> extends PluginBase {
  /** Registered type name of p (e.g. `DiagonalGaussian`), matched against `typeName`s up p's class chain. */
  readonly p: string;
  /** Registered type name of q (e.g. `Laplace`). */
  readonly q: string;
  /** Computes KL(p ‖ q) per batch row with tf ops, so gradients flow. */
  readonly rule: KLRule<P, Q>;
}

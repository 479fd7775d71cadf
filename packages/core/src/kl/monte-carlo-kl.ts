import * as tf from '@tensorflow/tfjs';
import type { Distribution } from '../distributions/distribution.js';
import { NoKLError } from '../errors/no-kl-error.js';
import { expectFiniteEstimate } from './finite-check.js';
import type { KLRuleContext, KLRuleResult } from './kl-types.js';

/**
 * Monte Carlo estimate of KL(p ‖ q) = E_{z~p}[log p(z) − log q(z)] from `context.samples`
 * reparameterized draws of p, so gradients flow through the samples (Kingma & Welling 2014).
 * When both distributions have `logProbPerDim` (they factorize over dimensions), the estimate
 * is made per dimension and `perDim` is returned. The result is checked to be finite (a
 * `dataSync` read).
 * @param p - the first distribution; needs `sample` and `logProb`
 * @param q - the second; needs `logProb`
 * @param context - sample count and seed
 * @returns total [B], perDim [B,K] or null, and the sample count
 * @throws {@link NoKLError} naming both types when p cannot be sampled or a density is missing
 * @throws {@link InfiniteKLError} when the estimate is +∞
 */
export function monteCarloKL(p: Distribution, q: Distribution, context: KLRuleContext): KLRuleResult {
  const missing = [
    typeof p.sample !== 'function' ? `${p.typeName} has no sample()` : '',
    typeof p.logProb !== 'function' ? `${p.typeName} has no logProb()` : '',
    typeof q.logProb !== 'function' ? `${q.typeName} has no logProb()` : '',
  ].filter((m) => m !== '');
  if (missing.length > 0) {
    throw new NoKLError(
      `no KL rule is registered for (${p.typeName}, ${q.typeName}) and a Monte Carlo estimate is impossible ` +
        `(${missing.join('; ')}); register one with klRegistry.register(${p.typeName}, ${q.typeName}, rule)`,
      { details: { p: p.typeName, q: q.typeName, missing } },
    );
  }
  const n = context.samples;
  const out = tf.tidy(() => {
    const z = p.sample(n, context.seed);
    if (p.logProbPerDim !== undefined && q.logProbPerDim !== undefined) {
      const d = tf.sub(p.logProbPerDim(z), q.logProbPerDim(z));
      const perDim = tf.mean(d, 0);
      return [tf.sum(perDim, -1), perDim];
    }
    return [tf.mean(tf.sub(p.logProb(z), q.logProb(z)), 0)];
  });
  const [total, perDim] = out as [tf.Tensor, tf.Tensor | undefined];
  try {
    expectFiniteEstimate(p.typeName, q.typeName, total);
  } catch (e) {
    tf.dispose(out);
    throw e;
  }
  return { total, perDim: perDim ?? null, samples: n };
}

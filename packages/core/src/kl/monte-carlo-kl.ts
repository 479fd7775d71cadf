import * as tf from '@tensorflow/tfjs';
import type { Distribution } from '../distributions/distribution.js';
import { NoKLError } from '../errors/no-kl-error.js';
import { ShapeError } from '../errors/shape-error.js';
import { expectFiniteEstimate } from './finite-check.js';
import type { KLRuleContext, KLRuleResult } from './kl-types.js';

/**
 * A density's output must have the shape its contract gives: broadcasting a wrong one (a scalar, [S, B, 1]) into
 * the estimate would give a rate of garbage without an error.
 * @param d - the distribution
 * @param method - `logProb` or `logProbPerDim`
 * @param t - what it returned
 * @param want - the shape it must have: [S, B] for logProb of samples [S, B, K], [S, B, K] per dimension
 * @returns t
 * @throws {@link ShapeError} naming the distribution, the method and both shapes
 */
export function expectShape(d: Distribution, method: string, t: tf.Tensor, want: number[]): tf.Tensor {
  if (tf.util.arraysEqual(t.shape, want)) return t;
  throw new ShapeError(
    `${d.typeName}.${method} returned shape [${t.shape.join(', ')}] for samples of shape [${want.join(', ')}${method === 'logProb' ? ', K' : ''}]: it must return [${want.join(', ')}] (${method === 'logProb' ? 'one log-density per sample, summed over the K dimensions' : 'one log-density per dimension'})`,
    { details: { type: d.typeName, method, shape: t.shape, expected: want } },
  );
}

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
 * @throws {@link ShapeError} when a density returns a shape other than its contract's
 * @throws {@link NegativeKLError} when the estimate is negative beyond what sampling explains (a density not normalized)
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
      const d = tf.sub(expectShape(p, 'logProbPerDim', p.logProbPerDim(z), z.shape), expectShape(q, 'logProbPerDim', q.logProbPerDim(z), z.shape));
      const perDim = tf.mean(d, 0);
      return [tf.sum(perDim, -1), perDim];
    }
    const perSample = z.shape.slice(0, -1);
    return [tf.mean(tf.sub(expectShape(p, 'logProb', p.logProb(z), perSample), expectShape(q, 'logProb', q.logProb(z), perSample)), 0)];
  });
  const [total, perDim] = out as [tf.Tensor, tf.Tensor | undefined];
  try {
    expectFiniteEstimate(p.typeName, q.typeName, total, n);
  } catch (e) {
    tf.dispose(out);
    throw e;
  }
  return { total, perDim: perDim ?? null, samples: n };
}

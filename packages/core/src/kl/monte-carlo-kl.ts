import * as tf from '@tensorflow/tfjs';
import type { Distribution } from '../distributions/distribution.js';
import { ConfigError } from '../errors/config-error.js';
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

/** The distributions (by class; a plain object by itself) whose logProb was checked against their logProbPerDim. */
const consistent = new WeakSet<object>();

/**
 * On a distribution's first use here, check that its `logProb` is the sum of its `logProbPerDim` over the event,
 * at the draws the estimate uses: the estimate reads `logProbPerDim` alone, so a `logProb` that disagrees (a sum left
 * out, another density) would pass training and fail elsewhere (evaluation, the importance-weighted bound).
 * @param d - p or q
 * @param z - the draws [S, B, K]
 * @throws {@link ShapeError} when logProb returns another shape than [S, B]
 * @throws {@link ConfigError} naming the distribution, the sample, the row and both values where they differ
 */
function expectConsistentDensity(d: Distribution, z: tf.Tensor): void {
  const key = (d as { constructor?: unknown }).constructor;
  const id = typeof key === 'function' && key !== Object ? key : d;
  if (consistent.has(id) || d.logProbPerDim === undefined || tf.getBackend() === 'webgpu') return;
  const perSample = z.shape.slice(0, -1);
  const [whole, summed] = tf.tidy(() => [expectShape(d, 'logProb', d.logProb(z), perSample).dataSync(), tf.sum(d.logProbPerDim?.(z) ?? tf.zeros(z.shape), -1).dataSync()]);
  const width = perSample.at(-1) ?? 1;
  for (let i = 0; i < whole.length; i++) {
    const [a, b] = [whole[i] ?? Number.NaN, summed[i] ?? Number.NaN];
    // equal (±∞ outside a support, on both sides), or within float32 rounding of a sum of K terms
    if (a === b || Math.abs(a - b) <= 1e-3 * (1 + Math.abs(b)) || (Number.isNaN(a) && Number.isNaN(b))) continue;
    throw new ConfigError(
      `${d.typeName}.logProb(z) is ${a.toPrecision(6)} at sample ${Math.floor(i / width)}, row ${i % width}, but the sum of ${d.typeName}.logProbPerDim(z) over its ${z.shape.at(-1)} dimensions is ${b.toPrecision(6)}: ` +
        'the two must describe one density (the Monte Carlo KL reads logProbPerDim; evaluation and the importance-weighted bound read logProb)',
      { details: { type: d.typeName, sample: Math.floor(i / width), row: i % width, logProb: a, sumOfPerDim: b } },
    );
  }
  consistent.add(id);
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
 * @throws {@link ConfigError} when, on a distribution's first use, its `logProb` is not the sum of its `logProbPerDim`
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
      expectConsistentDensity(p, z);
      expectConsistentDensity(q, z);
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

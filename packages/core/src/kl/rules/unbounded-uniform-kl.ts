import type { Distribution } from '../../distributions/distribution.js';
import type { Uniform } from '../../distributions/uniform.js';
import { InfiniteKLError } from '../../errors/infinite-kl-error.js';
import type { KLRuleResult } from '../kl-types.js';

/**
 * KL(p ‖ Uniform) for p with unbounded support (Gaussian, Laplace, mixtures): always +∞,
 * since p puts mass outside every box. Throws instead of returning Infinity.
 * @param p - a distribution with support ℝ^K
 * @param q - the uniform box
 * @returns never
 * @throws {@link InfiniteKLError} naming both types and the remedy
 */
export function klUnboundedUniform(p: Distribution, q: Uniform): KLRuleResult {
  throw new InfiniteKLError(
    `KL(${p.typeName} ‖ ${q.typeName}) is infinite: ${p.typeName} has unbounded support ℝ^${p.eventSize}, ` +
      `which no box contains; use a SquashedGaussian posterior (posterior family 'squashed-gaussian') with a uniform prior`,
    { details: { p: p.typeName, q: q.typeName } },
  );
}

import * as tf from '@tensorflow/tfjs';
import { type Prior, type PriorPlugin, Uniform } from '@vib/core';
import { z } from 'zod';

/** Half-width of the default box: U[−√3, √3] has unit variance, like N(0, 1). */
const UNIT_VARIANCE_HALF_WIDTH = Math.sqrt(3);

/** Config of {@link uniformPrior}: the box [low, high]^K, with low < high. */
export const uniformConfigSchema = z
  .strictObject({
    /** Lower edge of the box in every dimension (default −√3). */
    low: z.number().finite().default(-UNIT_VARIANCE_HALF_WIDTH),
    /** Upper edge of the box in every dimension (default √3). */
    high: z.number().finite().default(UNIT_VARIANCE_HALF_WIDTH),
  })
  .refine((c) => c.low < c.high, { message: 'high must be greater than low', path: ['high'] });

/** Config of {@link uniformPrior}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type UniformPriorConfig = z.output<typeof uniformConfigSchema>;

/**
 * The uniform prior r(z) = U[low, high]^K, the alternative to the normal prior that seed 001
 * (Su 2018) discusses: features spread evenly over a bounded box instead of concentrating at 0.
 *
 * **Posterior.** It pairs only with `squashed-gaussian`: the encoder outputs the mean and
 * log-variance of a Gaussian u ~ N(μ, diag σ²) and the bottleneck squashes it into the box,
 * z = low + (high − low)·sigmoid(u). The prior sets `bounds: { low, high }` so the bottleneck uses
 * this box. The density follows by change of variables, and per dimension
 * KL = −H(u) + E_u[softplus(u) + softplus(−u)], estimated by Monte Carlo over u (the Gaussian
 * entropy is exact). A plain Gaussian posterior cannot be used: it puts positive mass outside
 * the box, where r(z) = 0, so log p(z|x)/r(z) = +∞ there and KL(p(z|x) ‖ r(z)) = +∞; KL dispatch
 * throws {@link InfiniteKLError} for that pair.
 *
 * **Default box.** [−√3, √3]: the KL above does not depend on the box (its width cancels), so
 * the box only sets the scale of the codes the decoder sees; this one gives them unit variance
 * under r(z), the same scale as the standard normal prior, so decoders and learning rates tuned
 * for N(0, I) carry over. The KL is 0 only for u ~ Logistic(0, 1); the best Gaussian,
 * u ~ N(0, 1.75²), leaves about 0.01 nat per dimension (numeric integration), so the rate has a
 * small positive floor, and it shrinks as a narrow posterior widens toward filling the box.
 * @example
 * ```ts
 * import { createStandaloneContext, uniformPrior } from '@vib/priors';
 * const prior = uniformPrior.create({ low: -1, high: 1 }, createStandaloneContext(2));
 * prior.bounds; // { low: -1, high: 1 }
 * ```
 */
export const uniformPrior: PriorPlugin<UniformPriorConfig> = {
  name: 'uniform',
  description: 'Uniform on the box [low, high]^K (default [−√3, √3]); needs the squashed Gaussian posterior',
  configSchema: uniformConfigSchema,
  posteriors: ['squashed-gaussian'],
  create(config, context): Prior {
    const c = config;
    const k = context.latentDim;
    const low = tf.keep(tf.fill([1, k], c.low));
    const high = tf.keep(tf.fill([1, k], c.high));
    const r = new Uniform(low, high);
    return { distribution: () => r, bounds: { low: c.low, high: c.high } };
  },
};

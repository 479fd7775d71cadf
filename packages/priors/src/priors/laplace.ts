import * as tf from '@tensorflow/tfjs';
import { Laplace, type Prior, type PriorPlugin } from '@vib/core';
import { z } from 'zod';

/** Config of {@link laplacePrior}. */
export const laplaceConfigSchema = z.strictObject({
  /** Scale b > 0 of every dimension (variance 2b²); default 1/√2 gives unit variance. */
  scale: z.number().finite().positive().default(Math.SQRT1_2),
});

/** Config of {@link laplacePrior}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type LaplacePriorConfig = z.output<typeof laplaceConfigSchema>;

/**
 * A factorized Laplace prior r(z) = Π_k Laplace(z_k; 0, b), heavier-tailed and sparser than
 * the normal prior. With a diagonal Gaussian posterior there is no registered closed form, so
 * KL dispatch estimates it by Monte Carlo per dimension (reparameterized, so gradients flow).
 * The default scale b = 1/√2 gives unit variance (2b² = 1), the standard normal's scale.
 * @example
 * ```ts
 * import { createStandaloneContext, laplacePrior } from '@vib/priors';
 * const r = laplacePrior.create({ scale: 0.5 }, createStandaloneContext(3)).distribution();
 * ```
 */
export const laplacePrior: PriorPlugin<LaplacePriorConfig> = {
  name: 'laplace',
  description: 'Factorized Laplace(0, b): sparser codes; KL by Monte Carlo',
  configSchema: laplaceConfigSchema,
  posteriors: ['diagonal-gaussian'],
  create(config, context): Prior {
    const c = config;
    const k = context.latentDim;
    const r = new Laplace(tf.keep(tf.zeros([1, k])), tf.keep(tf.fill([1, k], Math.log(c.scale))));
    return { distribution: () => r };
  },
};

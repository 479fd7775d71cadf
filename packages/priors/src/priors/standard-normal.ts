import { type Prior, type PriorPlugin, StandardNormal } from '@vib/core';
import { z } from 'zod';

/** Config of {@link standardNormalPrior}: none (an empty object). */
export const standardNormalConfigSchema = z.strictObject({});

/** Config of {@link standardNormalPrior}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type StandardNormalPriorConfig = z.output<typeof standardNormalConfigSchema>;

/**
 * The standard normal prior r(z) = N(0, I), the seeds' default (Su 2018; Alemi et al. 2017).
 *
 * With a diagonal Gaussian posterior the KL has the closed form of the seeds' VIB layer,
 * KL = −½·Σ_k (1 + log σ_k² − μ_k² − σ_k²); a full-covariance posterior also has a closed form,
 * and a squashed posterior is estimated by Monte Carlo. It has no weights; `distribution()`
 * returns the same {@link StandardNormal} instance every call.
 * @example
 * ```ts
 * import { createStandaloneContext, standardNormalPrior } from '@vib/priors';
 * const r = standardNormalPrior.create({}, createStandaloneContext(8)).distribution();
 * r.eventSize; // 8
 * ```
 */
export const standardNormalPrior: PriorPlugin<StandardNormalPriorConfig> = {
  name: 'standard-normal',
  description: 'Standard normal N(0, I): the seeds\' default prior, closed-form KL with Gaussian posteriors',
  configSchema: standardNormalConfigSchema,
  posteriors: ['diagonal-gaussian', 'full-gaussian', 'squashed-gaussian'],
  create(config, context): Prior {
    const r = new StandardNormal(context.latentDim);
    return { distribution: () => r };
  },
};

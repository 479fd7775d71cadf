import { DiagonalGaussian, type Prior, type PriorPlugin } from '@vib/core';
import { z } from 'zod';

/** Config of {@link learnableNormalPrior}. */
export const learnableNormalConfigSchema = z.strictObject({
  /** Initial mean of every dimension. */
  initMean: z.number().finite().default(0),
  /** Initial log-variance of every dimension (0: unit variance). */
  initLogVar: z.number().finite().default(0),
});

/** Config of {@link learnableNormalPrior}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type LearnableNormalPriorConfig = z.output<typeof learnableNormalConfigSchema>;

/**
 * A learnable diagonal Gaussian prior r(z) = N(μ, diag σ²), the variational marginal of
 * Alemi et al. (2017) fitted jointly with the encoder: μ and log σ² are trainable weights
 * `mean` [1,K] and `logVar` [1,K] created through the context's `addWeight`, so they train and
 * save with the model. KL to a diagonal or full-covariance Gaussian posterior is closed-form.
 * @example
 * ```ts
 * import { createStandaloneContext, learnableNormalPrior } from '@vib/priors';
 * const ctx = createStandaloneContext(2);
 * const r = learnableNormalPrior.create(learnableNormalConfigSchema.parse({ initLogVar: -1 }), ctx).distribution(); // N(0, e⁻¹·I)
 * ```
 */
export const learnableNormalPrior: PriorPlugin<LearnableNormalPriorConfig> = {
  name: 'learnable-normal',
  description: 'Diagonal Gaussian N(μ, diag σ²) with trainable μ and log σ²',
  configSchema: learnableNormalConfigSchema,
  posteriors: ['diagonal-gaussian', 'full-gaussian'],
  create(config, context): Prior {
    const c = config;
    const k = context.latentDim;
    const mean = context.addWeight('mean', [1, k], c.initMean, true);
    const logVar = context.addWeight('logVar', [1, k], c.initLogVar, true);
    // built every step from trained weights: no parameter check in the training hot path
    return { distribution: () => new DiagonalGaussian(mean, logVar, { validateArgs: false }) };
  },
};

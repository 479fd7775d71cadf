import * as tf from '@tensorflow/tfjs';
import { MixtureOfDiagonalGaussians, tfSeed, type Prior, type PriorPlugin } from '@vib/core';
import { z } from 'zod';

/** Config of {@link mixtureOfGaussiansPrior}. */
export const mixtureOfGaussiansConfigSchema = z.strictObject({
  /** Number of components M. */
  components: z.number().int().min(1).max(1024).default(10),
  /** Standard deviation of the initial component means around 0 (> 0, so components differ). */
  spread: z.number().finite().positive().default(1),
  /** Initial log-variance of every component and dimension. */
  initLogVar: z.number().finite().default(0),
  /** Seed of the initial means, so a config always builds the same prior. */
  seed: z.number().int().default(0),
});

/** Config of {@link mixtureOfGaussiansPrior}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type MixtureOfGaussiansPriorConfig = z.output<typeof mixtureOfGaussiansConfigSchema>;

/**
 * A learnable mixture of M diagonal Gaussians, r(z) = Σ_m π_m N(z; μ_m, diag σ_m²), a richer
 * variational marginal than one Gaussian (in the spirit of Tomczak & Welling 2018, VampPrior).
 *
 * Weights created through `addWeight`, all trainable: `logits` [M] (π = softmax, initially
 * uniform), `means` [M,K] (drawn from N(0, spread²) with the config's seed, so the components
 * start apart and the same config gives the same prior), `logVars` [M,K]. There is no closed-form
 * KL to a Gaussian posterior; dispatch estimates it by Monte Carlo over posterior samples, and
 * gradients reach all three weights through log r(z).
 * @example
 * ```ts
 * import { createStandaloneContext, mixtureOfGaussiansPrior } from '@vib/priors';
 * const ctx = createStandaloneContext(2);
 * const r = mixtureOfGaussiansPrior.create(mixtureOfGaussiansConfigSchema.parse({ components: 4, spread: 2 }), ctx).distribution();
 * ```
 */
export const mixtureOfGaussiansPrior: PriorPlugin<MixtureOfGaussiansPriorConfig> = {
  name: 'mixture-of-gaussians',
  description: 'Learnable mixture of M diagonal Gaussians (logits, means, log-variances); KL by Monte Carlo',
  configSchema: mixtureOfGaussiansConfigSchema,
  posteriors: ['diagonal-gaussian', 'full-gaussian'],
  create(config, context): Prior {
    const c = config;
    const shape = [c.components, context.latentDim];
    const initMeans = tf.randomNormal(shape, 0, c.spread, 'float32', tfSeed(c.seed));
    const logits = context.addWeight('logits', [c.components], 0, true);
    const means = context.addWeight('means', shape, initMeans, true);
    const logVars = context.addWeight('logVars', shape, c.initLogVar, true);
    initMeans.dispose();
    // built every step from trained weights: no parameter check in the training hot path
    return { distribution: () => new MixtureOfDiagonalGaussians(logits, means, logVars, { validateArgs: false }) };
  },
};

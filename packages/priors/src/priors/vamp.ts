import * as tf from '@tensorflow/tfjs';
import { ConfigError, EqualMixture, tfSeed, type Prior, type PriorPlugin } from '@vib/core';
import { z } from 'zod';

/** Config of {@link vampPrior}. */
export const vampConfigSchema = z.strictObject({
  /** Number of pseudo-inputs K (Tomczak & Welling used 500 on MNIST; fewer cost less per step). */
  components: z.number().int().min(1).max(4096).default(50),
  /** Standard deviation of the pseudo-inputs' initial raw values around 0 (before the sigmoid for [0, 1] inputs). */
  spread: z.number().finite().positive().default(1),
  /** Seed of the initial pseudo-inputs, so a config always builds the same prior. */
  seed: z.number().int().default(0),
});

/** Config of {@link vampPrior}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type VampPriorConfig = z.output<typeof vampConfigSchema>;

/** The prior {@link vampPrior} creates: r(z), and the pseudo-inputs its components come from. */
export interface VampPrior extends Prior {
  /**
   * The current pseudo-inputs u_k, [K, ...inputShape] (in [0, 1] when the model's inputs are).
   * @returns a new tensor (the caller disposes it)
   */
  pseudoInputs(): tf.Tensor;
}

/**
 * The VampPrior of Tomczak & Welling (2018), "VAE with a VampPrior" (AISTATS): the prior is the
 * model's own aggregate posterior over K trainable pseudo-inputs,
 * r(z) = (1/K) Σ_k p(z | u_k), each component computed by the model's encoder.
 *
 * The plugin declares `needsEncoder`, so the model hands it its encoder. Its one weight,
 * `pseudoInputs` [K, ...inputShape], is a layer weight: the optimizer trains it (through the KL
 * term) and it is saved and loaded with the model. For inputs in [0, 1] the pseudo-inputs are
 * u = sigmoid(raw), which keeps them valid pixels with a gradient everywhere (the paper clips
 * with a hard tanh); otherwise u = raw. The KL to it has no closed form: dispatch estimates it by
 * Monte Carlo (`exact: false`), as for the mixture of Gaussians. Pairs with the diagonal Gaussian
 * posterior.
 * @example
 * ```ts
 * // in an experiment config
 * const prior = { name: 'vamp', config: { components: 50 } };
 * ```
 */
export const vampPrior: PriorPlugin<VampPriorConfig> = {
  name: 'vamp',
  description: 'VampPrior (Tomczak & Welling 2018): mean of the encoder posteriors of K trainable pseudo-inputs; KL by Monte Carlo',
  configSchema: vampConfigSchema,
  posteriors: ['diagonal-gaussian'],
  needsEncoder: true,
  create(config, context): VampPrior {
    const c = config;
    const encoder = context.encoder;
    if (encoder === undefined) {
      throw new ConfigError('prior "vamp" needs the model\'s encoder, and this context has none: build it inside a model (buildVibModel), or pass an encoder to createStandaloneContext');
    }
    const shape = [c.components, ...encoder.inputShape];
    const init = tf.randomNormal(shape, 0, c.spread, 'float32', tfSeed(c.seed));
    const raw = context.addWeight('pseudoInputs', shape, init, true);
    init.dispose();
    const pseudoInputs = () => (encoder.inputsInUnitInterval ? tf.sigmoid(raw) : raw.clone());
    return {
      pseudoInputs,
      distribution: () => new EqualMixture(encoder.posterior(pseudoInputs())),
    };
  },
};

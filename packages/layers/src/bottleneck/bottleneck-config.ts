import { pluginRefSchema } from '@vib/core';
import { z } from 'zod';
import { gaussianHeadsFields, scaleSchema } from '../encoder/gaussian-encoder.js';

export { pluginRefSchema, scaleSchema };

/** Inference: the mean code (the seeds set ε = 0) or S reparameterized samples. */
export const inferenceSchema = z
  .strictObject({ mode: z.enum(['mean', 'sample']).default('mean'), samples: z.number().int().min(1).default(1) })
  .default({ mode: 'mean', samples: 1 });

/** Monte Carlo samples for KL pairs without a closed form (e.g. a mixture prior). */
export const klSamplesSchema = z.number().int().min(1).default(16);

/**
 * Schema of a {@link VIBBottleneck}'s configuration: the heads' fields of the {@link GaussianEncoder} it
 * composes (latent size, posterior family, scale, seed: defined once, there), and its own.
 */
export const bottleneckConfigSchema = z.strictObject({
  ...gaussianHeadsFields,
  /** Prior r(z). */
  prior: pluginRefSchema.default({ name: 'standard-normal' }),
  /** Rate controller turning KL into the loss's rate term. */
  controller: pluginRefSchema.default({ name: 'fixed', config: { beta: 1e-3 } }),
  /** Inference: the mean code or S reparameterized samples. */
  inference: inferenceSchema,
  /**
   * A deterministic baseline: z = μ(h) always (training too), no noise, rate 0. The heads, prior and
   * controller are kept so the model has the same shape as its VIB twin.
   */
  deterministic: z.boolean().default(false),
  /** Monte Carlo samples for KL pairs without a closed form. */
  klSamples: klSamplesSchema,
  /**
   * The model's input, for priors built from the encoder (`needsEncoder`, e.g. the VampPrior): shape of one
   * input and whether it lies in [0, 1]. Saved with the layer, so the prior's weights are rebuilt on loading.
   */
  encoderInput: z.strictObject({ shape: z.array(z.number().int().min(1)).min(1), unitInterval: z.boolean() }).optional(),
});

/**
 * Parsed bottleneck configuration: defaults filled in, and (once {@link parseBottleneckConfig} or
 * `parseExperimentConfig` made it) the prior's and controller's configs parsed by their plugin entries.
 */
export type BottleneckConfig = z.output<typeof bottleneckConfigSchema>;
/** Bottleneck configuration as written by users (defaults optional). */
export type BottleneckConfigInput = z.input<typeof bottleneckConfigSchema>;

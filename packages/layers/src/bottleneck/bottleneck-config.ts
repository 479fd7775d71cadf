import { z } from 'zod';

/** A plugin reference in a config: its registered name and its own config. */
export const pluginRefSchema = z.object({
  name: z.string().min(1),
  config: z.unknown().optional(),
});

/** Schema of the serializable part of a {@link VIBBottleneck}'s configuration. */
export const bottleneckConfigSchema = z.object({
  /** Latent dimension K. */
  latentDim: z.number().int().min(1),
  /** Posterior family p(z|x). */
  posterior: z.enum(['diagonal-gaussian', 'full-gaussian', 'squashed-gaussian']).default('diagonal-gaussian'),
  /** Scale parameterization of the encoder heads. */
  scale: z.enum(['exp', 'softplus']).default('exp'),
  /** Prior r(z). */
  prior: pluginRefSchema.default({ name: 'standard-normal' }),
  /** Rate controller turning KL into the loss's rate term. */
  controller: pluginRefSchema.default({ name: 'fixed', config: { beta: 1e-3 } }),
  /** Inference: the mean code (the seeds set ε = 0) or S reparameterized samples. */
  inference: z
    .object({ mode: z.enum(['mean', 'sample']).default('mean'), samples: z.number().int().min(1).default(1) })
    .default({ mode: 'mean', samples: 1 }),
  /** Monte Carlo samples for KL pairs without a closed form (e.g. a mixture prior). */
  klSamples: z.number().int().min(1).default(16),
  /** Seed of the heads' weight initializers (omit for random). */
  seed: z.number().int().optional(),
  /** Controller state to restore (β, C, ...), as written by `getConfig`. */
  controllerState: z.record(z.string(), z.number()).optional(),
});

/** Parsed bottleneck configuration (defaults filled in). */
export type BottleneckConfig = z.output<typeof bottleneckConfigSchema>;
/** Bottleneck configuration as written by users (defaults optional). */
export type BottleneckConfigInput = z.input<typeof bottleneckConfigSchema>;

import { z } from 'zod';

const pluginRef = z.object({ name: z.string().min(1), config: z.unknown().optional() });

/** Learning-rate schedule: lr = lr₀ · decayRate^(epoch / decayEpochs), floored when `staircase`. */
export const scheduleSchema = z.object({
  type: z.literal('exponential'),
  decayRate: z.number().positive().max(1),
  decayEpochs: z.number().positive(),
  staircase: z.boolean().default(true),
});

/** Early stopping on an epoch metric. */
export const earlyStoppingSchema = z.object({
  monitor: z.enum(['loss', 'taskLoss', 'testLoss', 'testAccuracy', 'rateNats', 'reconstructionNats']).default('testLoss'),
  mode: z.enum(['min', 'max']).default('min'),
  patience: z.number().int().min(1),
  minDelta: z.number().min(0).default(0),
});

/**
 * Schema of an experiment config (JSON). `beta` is shorthand for `controller: { name: 'fixed',
 * config: { beta } }`; give one of them. Plugin configs are checked against their plugin's
 * schema by {@link parseExperimentConfig}.
 */
export const experimentConfigSchema = z.object({
  dataset: pluginRef,
  encoder: z
    .object({
      hidden: z.array(z.number().int().min(1)).default([256, 256]),
      activation: z.enum(['relu', 'tanh', 'elu', 'sigmoid']).default('relu'),
    })
    .default({ hidden: [256, 256], activation: 'relu' }),
  latentDim: z.number().int().min(1).default(256),
  posterior: z.enum(['diagonal-gaussian', 'full-gaussian', 'squashed-gaussian']).default('diagonal-gaussian'),
  scale: z.enum(['exp', 'softplus']).default('exp'),
  prior: pluginRef.default({ name: 'standard-normal' }),
  controller: pluginRef.optional(),
  beta: z.number().min(0).optional(),
  task: pluginRef.default({ name: 'classification' }),
  optimizer: z
    .object({
      learningRate: z.number().positive().default(1e-3),
      schedule: scheduleSchema.optional(),
      ema: z.object({ decay: z.number().min(0).max(1) }).optional(),
    })
    .default({ learningRate: 1e-3 }),
  inference: z
    .object({ mode: z.enum(['mean', 'sample']).default('mean'), samples: z.number().int().min(1).default(1) })
    .default({ mode: 'mean', samples: 1 }),
  klSamples: z.number().int().min(1).default(16),
  epochs: z.number().int().min(1).default(10),
  batchSize: z.number().int().min(1).default(100),
  seed: z.number().int().min(0).default(0),
  evalSamples: z.number().int().min(1).default(12),
  earlyStopping: earlyStoppingSchema.optional(),
});

/** A validated experiment config: defaults filled, `beta` folded into `controller`, plugin configs parsed. */
export type ExperimentConfig = Omit<z.output<typeof experimentConfigSchema>, 'controller' | 'beta'> & {
  controller: { name: string; config?: unknown };
};

/** An experiment config as written (defaults optional). */
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;

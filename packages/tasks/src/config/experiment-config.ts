import { pluginRefSchema, posteriorFamilySchema } from '@vib/core';
import { inferenceSchema, klSamplesSchema, scaleSchema } from '@vib/layers';
import { z } from 'zod';
import { activationSchema, hiddenSizesSchema } from './activation.js';
import { MAX_LATENT_DIM } from '../limits.js';
import { MONITORED_FIGURES, TASK_METRIC_MONITOR } from '../train/monitor.js';

/** Learning-rate schedule: lr = lr₀ · decayRate^(epoch / decayEpochs), floored when `staircase`. */
export const scheduleSchema = z.strictObject({
  type: z.literal('exponential'),
  decayRate: z.number().positive().max(1),
  decayEpochs: z.number().positive(),
  staircase: z.boolean().default(true),
});

/** The data subset of a run: at most `maxTrain` training and `maxTest` test examples, the first of each split. */
export const subsetSchema = z.strictObject({
  maxTrain: z.number().int().min(1).optional(),
  maxTest: z.number().int().min(1).optional(),
});

/** Early stopping on an epoch metric. */
export const earlyStoppingSchema = z.strictObject({
  /** An epoch figure, or a task metric as `test:<metric>` (test split, mean code) or `train:<metric>` (training batches). */
  monitor: z
    .string()
    .refine((m) => (MONITORED_FIGURES as readonly string[]).includes(m) || TASK_METRIC_MONITOR.test(m), {
      message: `monitor is one of ${MONITORED_FIGURES.join(', ')}, or a task metric as test:<metric> or train:<metric> (e.g. test:accuracy)`,
    })
    .default('testLoss'),
  mode: z.enum(['min', 'max']).default('min'),
  patience: z.number().int().min(1),
  minDelta: z.number().min(0).default(0),
});

/** The encoder MLP x → h in front of the bottleneck. */
export const encoderSchema = z
  .strictObject({
    hidden: hiddenSizesSchema.default([256, 256]),
    activation: activationSchema.default('relu'),
  })
  .default({ hidden: [256, 256], activation: 'relu' });

/** The optimizer (Adam) and what it does to the weights over time. */
export const optimizerSchema = z
  .strictObject({
    learningRate: z.number().positive().default(1e-3),
    /** Adam's β1 (tfjs default 0.9; Alemi et al. 2017 use 0.5). */
    beta1: z.number().min(0).lt(1).optional(),
    /** Adam's β2 (tfjs default 0.999). */
    beta2: z.number().min(0).lt(1).optional(),
    /** Adam's ε (tfjs default: the backend's epsilon, 1e-7 in float32). */
    epsilon: z.number().positive().optional(),
    schedule: scheduleSchema.optional(),
    ema: z.strictObject({ decay: z.number().min(0).max(1) }).optional(),
  })
  .default({ learningRate: 1e-3 });

/**
 * Schema of an experiment config (JSON). Strict at every level: an unknown key is an error naming it,
 * where it is, and the nearest valid key. `beta` is shorthand for `controller: { name: 'fixed',
 * config: { beta } }`; give one of them. Plugin references (`dataset`, `prior`, `controller`, `task`)
 * take a name alone (`"prior": "laplace"`) or `{ name, config }`; plugin configs are checked against
 * their plugin's schema by {@link parseExperimentConfig}. The bottleneck's fields reuse its schemas.
 */
export const experimentConfigSchema = z.strictObject({
  dataset: pluginRefSchema,
  /**
   * The first `maxTrain` training and `maxTest` test examples of the dataset, where the run used no more (the CLI's
   * `--max-train`/`--max-test`), so that the config says which data the run saw. Load the dataset with these as its
   * load options; the trainer refuses a split longer than its bound.
   */
  subset: subsetSchema.optional(),
  /**
   * `vib`: the stochastic bottleneck. `deterministic`: the same encoder, heads and decoder with z = μ(x)
   * and no rate term (the baseline of Alemi et al. 2017), so β and the prior have no effect.
   */
  model: z.enum(['vib', 'deterministic']).default('vib'),
  encoder: encoderSchema,
  latentDim: z.number().int().min(1).max(MAX_LATENT_DIM).default(256),
  posterior: posteriorFamilySchema.default('diagonal-gaussian'),
  scale: scaleSchema.default('exp'),
  prior: pluginRefSchema.default({ name: 'standard-normal' }),
  controller: pluginRefSchema.optional(),
  beta: z.number().min(0).optional(),
  task: pluginRefSchema.default({ name: 'classification' }),
  optimizer: optimizerSchema,
  inference: inferenceSchema,
  klSamples: klSamplesSchema,
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

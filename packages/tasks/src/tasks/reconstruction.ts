import * as tf from '@tensorflow/tfjs';
import { ConfigError, bernoulliNllRows, tfSeed } from '@vib/core';
import { z } from 'zod';
import { activationSchema, hiddenSizesSchema } from '../config/activation.js';
import type { Task, TaskPlugin } from './task-plugin.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Config schema of {@link reconstructionTask}: the likelihood p(x|z) and the decoder's hidden layers. */
export const reconstructionConfigSchema = z.strictObject({
  /** p(x|z): Bernoulli per pixel (inputs in [0, 1]) or Gaussian with a fixed σ. */
  likelihood: z.enum(['bernoulli', 'gaussian']).default('bernoulli'),
  /** σ of the Gaussian likelihood. */
  sigma: z.number().positive().default(0.1),
  /** Hidden layer sizes of the decoder. */
  hidden: hiddenSizesSchema.default([256]),
  /** Activation of the decoder's hidden layers. */
  activation: activationSchema.default('relu'),
});

/** Parsed config of the reconstruction task. */
export type ReconstructionConfig = z.output<typeof reconstructionConfigSchema>;

/**
 * Reconstruction (a VAE, the seeds' "VIB with label = x"): the decoder maps z back to the input,
 * and −log p(x|z) is summed over the D input values, in nats. Bernoulli: softplus(l) − x·l per value
 * (logits l; the saved model outputs sigmoid(l)); Gaussian: ½((x − μ)/σ)² + log σ + ½ log 2π.
 * Outputs are flat, [B, D] with D = Π inputShape.
 * @example
 * ```ts
 * registry.register('task', reconstructionTask);
 * ```
 */
export const reconstructionTask: TaskPlugin<ReconstructionConfig> = {
  name: 'reconstruction',
  description: 'reconstruct x from z (a VAE); Bernoulli or Gaussian likelihood, loss in nats per example',
  configSchema: reconstructionConfigSchema,
  create(config, context): Task {
    if (config.likelihood === 'bernoulli' && !context.inputsInUnitInterval) {
      throw new ConfigError(
        'task.config.likelihood: "bernoulli" needs inputs in [0, 1], and this dataset\'s are not: use "gaussian"',
        { details: { field: 'task.config.likelihood', value: config.likelihood } },
      );
    }
    const d = context.inputShape.reduce((a, b) => a * b, 1);
    const init = (offset: number) =>
      tf.initializers.glorotUniform(context.seed === undefined ? {} : { seed: tfSeed(context.seed + offset) });
    const bernoulli = config.likelihood === 'bernoulli';
    const negLogLikelihood = (raw: tf.Tensor, target: tf.Tensor): tf.Tensor =>
      tf.tidy(() => {
        if (bernoulli) return bernoulliNllRows(raw, target);
        const r = tf.div(tf.sub(target, raw), config.sigma);
        return tf.add(tf.mul(tf.sum(tf.square(r), -1), 0.5), d * (Math.log(config.sigma) + HALF_LOG_2PI));
      });
    return {
      name: 'reconstruction',
      metricNames: [],
      views: ['interpolation', 'prior-samples'],
      decoderLayers: () => [
        ...config.hidden.map((units, i) =>
          tf.layers.dense({ units, activation: config.activation, kernelInitializer: init(i) }),
        ),
        tf.layers.dense({ units: d, kernelInitializer: init(config.hidden.length) }),
      ],
      predictionLayer: () => (bernoulli ? tf.layers.activation({ activation: 'sigmoid' }) : null),
      targets: (x) => tf.reshape(x, [x.shape[0] ?? -1, d]),
      negLogLikelihood,
      predict: (raw) => (bernoulli ? tf.sigmoid(raw) : raw.clone()),
      logLikelihoods: (raw, target) => tf.tidy(() => tf.expandDims(tf.neg(negLogLikelihood(raw, target)), -1)),
      scoreSums: (logLik) => tf.tidy(() => tf.reshape(tf.neg(tf.sum(logLik)), [1]) as tf.Tensor1D),
      epochFigures: (input) => ({ trainAccuracy: null, testAccuracy: null, reconstructionNats: input.test.nllNats, izy: null }),
      describe: (scores) => `reconstruction ${scores.map(([label, s]) => `${s.nllNats.toFixed(2)} nats (${label})`).join(', ')} (−log p(x|z))`,
    };
  },
};

import * as tf from '@tensorflow/tfjs';
import { ConfigError, tfSeed } from '@vib/core';
import type { Task, TaskPlugin } from '@vib/tasks';
import { z } from 'zod';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Config of {@link regressionTask}. */
export const regressionConfigSchema = z.strictObject({
  /** σ of the Gaussian likelihood q(y|z) = N(y; μ(z), σ²) (in the target's units). */
  sigma: z.number().positive().default(0.5),
});

/** Parsed config of {@link regressionTask}. */
export type RegressionConfig = z.output<typeof regressionConfigSchema>;

/**
 * Regression with a Gaussian likelihood: the decoder maps z to the mean μ(z) of the T targets, and
 * −log q(y|z) = ½‖(y − μ)/σ‖² + T(log σ + ½ log 2π) nats. Its metric is the mean squared error of the prediction:
 * with several sampled codes, of their averaged predicted mean (the scoring context gives it).
 */
export const regressionTask: TaskPlugin<RegressionConfig> = {
  name: 'regression',
  description: 'predict real-valued targets from z with a Gaussian likelihood N(y; μ(z), σ²); metric: MSE',
  configSchema: regressionConfigSchema,
  create(config, context): Task {
    const t = context.targetSize;
    if (t === undefined) {
      throw new ConfigError('task "regression" needs a dataset with real-valued targets (targetSize), e.g. csv-regression', {
        details: { field: 'task', value: 'regression' },
      });
    }
    const sigma = config.sigma;
    const constant = t * (Math.log(sigma) + HALF_LOG_2PI);
    const negLogLikelihood = (raw: tf.Tensor, target: tf.Tensor): tf.Tensor =>
      tf.tidy(() => tf.add(tf.mul(tf.sum(tf.square(tf.div(tf.sub(target, raw), sigma)), -1), 0.5), constant));
    return {
      name: 'regression',
      metricNames: ['mse'],
      views: [],
      decoderLayers: () => [
        tf.layers.dense({ units: t, kernelInitializer: tf.initializers.glorotUniform(context.seed === undefined ? {} : { seed: tfSeed(context.seed) }) }),
      ],
      predictionLayer: () => null,
      targets: (_x, _y, values) => {
        if (values === undefined) throw new ConfigError('task "regression": the batch has no real-valued targets');
        return values.clone();
      },
      negLogLikelihood,
      predict: (raw) => raw.clone(),
      logLikelihoods: (raw, target) => tf.tidy(() => tf.expandDims(tf.neg(negLogLikelihood(raw, target)), -1)),
      // The squared error of the prediction itself: for S sampled codes, of the mean of their S predicted means (the
      // averaged model's prediction). Read back from the log-likelihood, it would be an error of no predictor there:
      // log q(y|x) averaged over codes rewards whichever code lands near y.
      scoreSums: (logLik, target, context) =>
        tf.tidy(() => {
          const nll = tf.neg(tf.squeeze(logLik, [-1]));
          const squaredError = context
            ? tf.sum(tf.square(tf.sub(context.prediction(), target)), -1)
            : tf.mul(tf.sub(nll, constant), 2 * sigma * sigma); // one code per example: the same number
          return tf.stack([tf.sum(nll), tf.sum(squaredError)]) as tf.Tensor1D;
        }),
      epochFigures: () => ({ trainAccuracy: null, testAccuracy: null, reconstructionNats: null, izy: null }),
      describe: (scores) => `MSE ${scores.map(([label, s]) => `${(s.metrics['mse'] ?? NaN).toFixed(4)} (${label})`).join(', ')}`,
    };
  },
};

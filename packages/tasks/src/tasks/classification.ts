import * as tf from '@tensorflow/tfjs';
import { classificationScoreSums, izyLowerBound, labelEntropy, softmaxCrossEntropyRows, tfSeed } from '@vib/core';
import { z } from 'zod';
import type { Task, TaskPlugin } from './task-plugin.js';

/** Config schema of {@link classificationTask}: an empty strict object (the decoder's size comes from the dataset). */
export const classificationConfigSchema = z.strictObject({});

/** Parsed config of the classification task (none: `{}`). */
export type ClassificationConfig = z.output<typeof classificationConfigSchema>;

/**
 * Classification (Alemi et al. 2017's VIB): the decoder q(y|z) is one Dense layer with a softmax,
 * and −log q(y|z) is the softmax cross-entropy in nats. The saved model outputs class probabilities.
 * @example
 * ```ts
 * registry.register('task', classificationTask);
 * ```
 */
export const classificationTask: TaskPlugin<ClassificationConfig> = {
  name: 'classification',
  description: 'predict the label y from z with a softmax decoder q(y|z); loss is cross-entropy in nats',
  configSchema: classificationConfigSchema,
  create(_config, context): Task {
    const c = context.numClasses;
    const percent = (v: number | undefined) => `${((v ?? NaN) * 100).toFixed(2)}%`;
    return {
      name: 'classification',
      metricNames: ['accuracy'],
      views: ['latent-codes'],
      decoderLayers: () => [
        tf.layers.dense({
          units: c,
          kernelInitializer: tf.initializers.glorotUniform(context.seed === undefined ? {} : { seed: tfSeed(context.seed) }),
        }),
      ],
      predictionLayer: () => tf.layers.softmax(),
      targets: (_x, y) => y,
      negLogLikelihood: (raw, target) =>
        tf.tidy(() => softmaxCrossEntropyRows(raw, tf.cast(tf.oneHot(tf.cast(target, 'int32'), c), 'float32'))),
      predict: (raw) => tf.softmax(raw),
      logLikelihoods: (raw) => tf.logSoftmax(raw),
      // one fused kernel where the backend has it (wasm), with the numbers of the stock ops
      scoreSums: (logLik, target) => classificationScoreSums(logLik, target),
      epochFigures: (input) => ({
        trainAccuracy: input.trainMetrics['accuracy'] ?? null,
        testAccuracy: input.test.metrics['accuracy'] ?? null,
        reconstructionNats: null,
        izy: izyLowerBound({
          crossEntropyNats: input.trainNllNats,
          labelEntropyNats: labelEntropy(input.trainSplit.y, input.numClasses).nats,
        }),
      }),
      describe: (scores) =>
        `accuracy ${scores.map(([label, s]) => `${percent(s.metrics['accuracy'])} (${label})`).join(', ')}`,
    };
  },
};

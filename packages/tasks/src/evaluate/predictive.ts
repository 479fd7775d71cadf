import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@vib/core';
import { decode, hidden } from '../model/forward.js';
import type { VibModel } from '../model/vib-model.js';
import { averageLogProbs } from './average-log-probs.js';

/** How a classifier's predictive q(y|x) is formed: from the mean code, or averaged over S sampled codes. */
export type PredictivePath = 'mean' | 'samples';

/** Options of {@link predictiveLogProbs}. */
export interface PredictiveOptions {
  /** `mean`: q(y|μ(x)); `samples`: (1/S) Σ_s q(y|z_s), z_s ~ p(z|x) reparameterized. */
  readonly through: PredictivePath;
  /** S for `samples` (default the config's `evalSamples`). */
  readonly samples?: number;
  /** Seed of the sampled codes (the same seed gives the same noise, so gradients see a fixed draw). */
  readonly seed?: number;
}

/**
 * log q(y|x) of every class for a batch, differentiable in x (what attacks and uncertainty scores use).
 * @param vm - a classification model
 * @param x - inputs [B, ...inputShape]
 * @param options - mean code or S samples
 * @returns log-probabilities [B,C]
 * @throws {@link ConfigError} when the model is not a classifier
 * @example
 * ```ts
 * const logq = tf.tidy(() => predictiveLogProbs(vm, x, { through: 'samples', samples: 12, seed: 0 }));
 * ```
 */
export function predictiveLogProbs(vm: VibModel, x: tf.Tensor, options: PredictiveOptions): tf.Tensor {
  if (!vm.task.metricNames.includes('accuracy')) {
    throw new ConfigError(`this analysis needs a classifier, got a "${vm.task.name}" model: pass a model trained with the classification task`);
  }
  return tf.tidy(() => {
    const posterior = vm.bottleneck.posterior(hidden(vm, x));
    if (options.through === 'mean') return tf.logSoftmax(decode(vm, posterior.mean()));
    const s = options.samples ?? vm.config.evalSamples;
    return averageLogProbs(tf.logSoftmax(decode(vm, posterior.sample(s, options.seed))));
  });
}

/**
 * −log q(y|x) per example from class log-probabilities.
 * @param logq - [B,C]
 * @param y - int32 labels [B]
 * @returns [B]
 */
export function pickedNll(logq: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(logq, tf.oneHot(tf.cast(y, 'int32'), logq.shape[1] ?? 1)), -1)));
}

/**
 * The logit margin max_{j≠y} log q_j − log q_y per example (Carlini & Wagner 2017's f₆ without the κ clamp):
 * positive exactly when the example is misclassified. Unlike −log q_y, its gradient does not vanish when the
 * softmax saturates: through log-softmax, ∂/∂logits = e_j − e_y whatever the confidence, so an attack on it
 * still moves inputs a float32 cross-entropy gradient leaves at exactly 0.
 * @param logq - class log-probabilities (or logits: the margin is the same) [B,C], C ≥ 2
 * @param y - int32 labels [B]
 * @returns [B]
 * @example
 * ```ts
 * const m = tf.tidy(() => pickedMargin(tf.tensor2d([[2, 0, 5]]), tf.tensor1d([0], 'int32'))); // [3]
 * ```
 */
export function pickedMargin(logq: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const onehot = tf.oneHot(tf.cast(y, 'int32'), logq.shape[1] ?? 1);
    const own = tf.sum(tf.mul(logq, onehot), -1);
    // Push the true class far below every other, so the max picks the best wrong class; a finite offset
    // (not −∞) keeps the masked entries' gradient 0 rather than NaN.
    const best = tf.max(tf.sub(logq, tf.mul(onehot, 1e30)), -1);
    return tf.sub(best, own);
  });
}

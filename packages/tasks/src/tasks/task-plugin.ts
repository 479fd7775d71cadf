import type * as tf from '@tensorflow/tfjs';
import type { PluginBase } from '@vib/core';
import type { z } from 'zod';

/** What a task gets when it is created for a model. */
export interface TaskContext {
  /** Shape of one input, e.g. [28, 28]. */
  readonly inputShape: readonly number[];
  /** Number of classes of the labels. */
  readonly numClasses: number;
  /** Latent dimension K. */
  readonly latentDim: number;
  /** Whether inputs lie in [0, 1] (a Bernoulli likelihood needs it). */
  readonly inputsInUnitInterval: boolean;
  /** Seed for the decoder's weight initializers (omit for random). */
  readonly seed?: number;
}

/**
 * A created task: the decoder q(y|z) and its negative log-likelihood, the −log q(y|z) term of
 * loss = E[−log q(y|z)] + β·KL(p(z|x) ‖ r(z)).
 */
export interface Task {
  /** `classification` (y is the label) or `reconstruction` (y is x itself, a VAE). */
  readonly kind: 'classification' | 'reconstruction';
  /**
   * New decoder layers mapping z [B,K] to the decoder's raw output (logits, or the mean).
   * @returns layers applied in order
   */
  decoderLayers(): tf.layers.Layer[];
  /**
   * A new layer turning the raw output into the prediction of the saved model (softmax, sigmoid), or null.
   * @returns the layer or null
   */
  predictionLayer(): tf.layers.Layer | null;
  /**
   * The target of a batch.
   * @param x - inputs [B, ...inputShape]
   * @param y - int32 labels [B]
   * @returns labels [B] (classification) or flattened inputs [B,D] (reconstruction)
   */
  targets(x: tf.Tensor, y: tf.Tensor): tf.Tensor;
  /**
   * −log q(y|z) in nats per example.
   * @param raw - decoder raw output [..., B, O]
   * @param target - what {@link Task.targets} returned, [B] or [B,D]
   * @returns shape [..., B]
   */
  negLogLikelihood(raw: tf.Tensor, target: tf.Tensor): tf.Tensor;
}

/**
 * A task plugin: registered under kind `task`.
 * @typeParam C - the parsed config type
 */
export interface TaskPlugin<C = unknown> extends PluginBase {
  /** Schema of the task's config. */
  readonly configSchema: z.ZodType<C>;
  /**
   * Create the task for a model.
   * @param config - validated config
   * @param context - shapes and seed
   * @returns the task
   * @throws {@link ConfigError} when the task does not fit the data (e.g. Bernoulli on inputs outside [0, 1])
   */
  create(config: C, context: TaskContext): Task;
}

declare module '@vib/core' {
  interface PluginKindMap {
    /** Tasks: what the decoder q(y|z) predicts (a label, the input itself) and its −log q(y|z) in nats. */
    task: TaskPlugin<any>;
  }
}

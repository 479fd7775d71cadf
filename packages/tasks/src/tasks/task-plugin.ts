import type * as tf from '@tensorflow/tfjs';
import type { DataSplit, Information, PluginBase, PluginShape } from '@vib/core';
import type { z } from 'zod';

/** How well one way of predicting did on a split: the task's own metrics (means over examples) and its −log-likelihood. */
export interface TaskScores {
  /** Mean −log q(y|x) in nats. */
  readonly nllNats: number;
  /** The task's metrics by name (see {@link Task.metricNames}), e.g. `{ accuracy: 0.97 }`. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** What a task reads to add its figures to an epoch's metrics. */
export interface TaskEpochInput {
  /** Training-set mean −log q(y|z) in nats (sampled codes). */
  readonly trainNllNats: number;
  /** The training metrics from sampled codes (means over the epoch). */
  readonly trainMetrics: Readonly<Record<string, number>>;
  /** Test scores with the mean code. */
  readonly test: TaskScores;
  /** The training split (label statistics such as H(Y)). */
  readonly trainSplit: DataSplit;
  /** Number of classes of the labels. */
  readonly numClasses: number;
}

/** The task's figures in an epoch's metrics; each is null when the task has no such figure. */
export interface TaskEpochFigures {
  /** Training accuracy from sampled codes. */
  readonly trainAccuracy: number | null;
  /** Test accuracy with the mean code. */
  readonly testAccuracy: number | null;
  /** Test reconstruction −log p(x|z), nats per example. */
  readonly reconstructionNats: number | null;
  /** A lower bound on I(Z;Y) from the training loss (H(Y) − CE for labels). */
  readonly izy: Information | null;
}

/** Standard views an app can draw for a task's model (the app draws them; the task says which make sense). */
export type TaskView = 'latent-codes' | 'interpolation' | 'prior-samples';

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
  /** Width of the dataset's real-valued targets, when it has them (regression). */
  readonly targetSize?: number;
}

/** What {@link Task.scoreSums} is told of the codes behind its log-likelihoods. */
export interface ScoreContext {
  /** Codes per example: 1 (the mean code, or one sampled code) or S (sampled codes, averaged in probability space). */
  readonly samples: number;
  /**
   * The task's prediction ({@link Task.predict}) averaged over those codes, [B, O]: the prediction of the averaged
   * model, e.g. for S codes the mean of S predicted means. Computed when first called, inside the caller's scope.
   */
  prediction(): tf.Tensor;
}

/**
 * A created task: the decoder q(y|z) and its negative log-likelihood, the −log q(y|z) term of
 * loss = E[−log q(y|z)] + β·KL(p(z|x) ‖ r(z)).
 */
export interface Task {
  /** The task plugin's registered name (for messages; never dispatch on it: call the methods). */
  readonly name: string;
  /** Names of the metrics {@link Task.scoreSums} sums after the −log-likelihood, e.g. `['accuracy']`. */
  readonly metricNames: readonly string[];
  /** Views that make sense for this task's models: `latent-codes` (codes coloured by label), `interpolation` and `prior-samples` (decoded codes are inputs). */
  readonly views: readonly TaskView[];
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
   * @param values - the real-valued targets [B, T], when the dataset has them
   * @returns labels [B] (classification), flattened inputs [B,D] (reconstruction), or values (regression)
   */
  targets(x: tf.Tensor, y: tf.Tensor, values?: tf.Tensor): tf.Tensor;
  /**
   * −log q(y|z) in nats per example.
   * @param raw - decoder raw output [..., B, O]
   * @param target - what {@link Task.targets} returned, [B] or [B,D]
   * @returns shape [..., B]
   */
  negLogLikelihood(raw: tf.Tensor, target: tf.Tensor): tf.Tensor;
  /**
   * The prediction from the decoder's raw output (probabilities, the reconstruction's mean, ...).
   * @param raw - decoder raw output [B,O]
   * @returns the prediction [B,O]
   */
  predict(raw: tf.Tensor): tf.Tensor;
  /**
   * Log-likelihoods to average over sampled codes in probability space: log q(c|z) of every candidate
   * outcome c [..., B, C] (classification), or log q(y|z) of the target itself [..., B, 1].
   * @param raw - decoder raw output [..., B, O]
   * @param target - what {@link Task.targets} returned
   * @returns log-likelihoods [..., B, C]
   */
  logLikelihoods(raw: tf.Tensor, target: tf.Tensor): tf.Tensor;
  /**
   * Batch sums of −log q(y|x) and of each metric, from (possibly sample-averaged) log-likelihoods.
   * @param logLik - what {@link Task.logLikelihoods} returned for one code per example, [B, C], or its average over
   *   sampled codes in probability space
   * @param target - what {@link Task.targets} returned
   * @param context - how many codes are behind `logLik` and their averaged prediction, for a metric of the
   *   prediction itself (a regression task's squared error) rather than of the likelihood; given by @vib's callers
   * @returns [Σ −log q, Σ metric₁, ...] with one entry per {@link Task.metricNames}
   */
  scoreSums(logLik: tf.Tensor, target: tf.Tensor, context?: ScoreContext): tf.Tensor1D;
  /**
   * The task's figures for an epoch's metrics (accuracy, reconstruction loss, a bound on I(Z;Y)).
   * @param input - training loss and metrics, test scores, the training split
   * @returns the figures, null where the task has none
   */
  epochFigures(input: TaskEpochInput): TaskEpochFigures;
  /**
   * One line for people: what `vib eval` prints and the CLI's summaries, e.g. `accuracy 97.1% (mean code)`.
   * @param scores - the scores of the ways of predicting, by label (e.g. `mean code`, `12 samples`)
   * @returns the line
   */
  describe(scores: ReadonlyArray<readonly [label: string, scores: TaskScores]>): string;
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

/** The members a task plugin needs, checked when one is registered (see `Registry.defineKind`). */
export const TASK_SHAPE: PluginShape = { name: 'string', description: 'string', configSchema: 'schema', create: 'function' };

/** What a task plugin's `create` returns must have: every member of {@link Task} the trainer and evaluation call. */
export const TASK_INSTANCE_SHAPE: PluginShape = {
  name: 'string',
  metricNames: 'array',
  views: 'array',
  decoderLayers: 'function',
  predictionLayer: 'function',
  targets: 'function',
  negLogLikelihood: 'function',
  predict: 'function',
  logLikelihoods: 'function',
  scoreSums: 'function',
  epochFigures: 'function',
  describe: 'function',
};

declare module '@vib/core' {
  interface PluginKindMap {
    /** Tasks: what the decoder q(y|z) predicts (a label, the input itself) and its −log q(y|z) in nats. */
    task: TaskPlugin<any>;
  }
}

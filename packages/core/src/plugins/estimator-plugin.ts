import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { ActivationMatrix } from '../estimators/activations.js';
import type { PluginBase } from '../registry/plugin.js';
import type { Information } from '../units/units.js';

/** What an estimator reads: recorded layer activations with labels, or a critic score matrix. */
export type EstimatorInput = 'activations' | 'scores';

/** Input of an activation-based estimator (binning, KDE): one layer's activations and the labels. */
export interface ActivationEstimateInput {
  /** The layer's activations T [n, d]; row i is the layer's output for input i. */
  readonly activations: ActivationMatrix;
  /** Class label of each row. */
  readonly labels: ArrayLike<number>;
  /** Number of classes (default: max label + 1). */
  readonly numClasses?: number;
}

/** What an estimator returns; fields it does not estimate are absent. */
export interface EstimateResult {
  /** I(X;T) of a layer (activation estimators). */
  readonly ixt?: Information;
  /** I(T;Y) of a layer (activation estimators). */
  readonly ity?: Information;
  /** I(X;Y) between the critic's two inputs (score estimators). */
  readonly mi?: Information;
  /** Further named numbers in nats (entropies, the InfoNCE ceiling, ...). */
  readonly extraNats?: Readonly<Record<string, number>>;
}

/**
 * An estimator of the information plane coordinates of a layer from recorded activations.
 * @typeParam C - the parsed config type
 */
export interface ActivationEstimatorPlugin<C = unknown> extends PluginBase {
  /** The discriminant of {@link EstimatorPlugin}: this estimator reads recorded activations and labels. */
  readonly input: 'activations';
  /** Schema of the config. */
  readonly configSchema: z.ZodType<C>;
  /**
   * Estimate I(X;T) and I(T;Y).
   * @param data - activations and labels
   * @param config - the config (validated again here)
   * @returns `{ ixt, ity, extraNats }`
   * @throws {@link ConfigError} for an invalid config; {@link ShapeError} / {@link DataError} for bad data
   */
  estimate(data: ActivationEstimateInput, config: C): EstimateResult;
}

/** A training objective for a critic: minimize `loss` (the negated bound, possibly with a stateful gradient). */
export interface CriticObjective {
  /**
   * The loss for a batch of scores, differentiable.
   * @param scores - [B, B] scores, diagonal = positive pairs
   * @returns scalar loss in nats
   */
  loss(scores: tf.Tensor2D): tf.Scalar;
}

/**
 * A critic-based lower bound on I(X;Y) from a score matrix f[i][j] = critic(x_i, y_j).
 * @typeParam C - the parsed config type
 */
export interface ScoreEstimatorPlugin<C = unknown> extends PluginBase {
  /** The discriminant of {@link EstimatorPlugin}: this estimator reads a [B, B] critic score matrix. */
  readonly input: 'scores';
  /** Schema of the config. */
  readonly configSchema: z.ZodType<C>;
  /**
   * The bound's value on one batch of scores (reads the tensor synchronously).
   * @param scores - [B, B] scores, diagonal = positive pairs
   * @param config - the config
   * @returns `{ mi }`
   * @throws {@link ShapeError} when the scores are not [B, B] with B ≥ 2
   */
  estimate(scores: tf.Tensor2D, config: C): EstimateResult;
  /**
   * Create the objective a critic is trained on (a fresh state per critic, e.g. MINE's moving average).
   * @param config - the config
   * @returns the objective
   */
  createObjective(config: C): CriticObjective;
}

/**
 * A mutual-information estimator plugin: registered under kind `estimator`.
 * Discriminate on `input` to call it.
 * @typeParam C - the parsed config type
 */
export type EstimatorPlugin<C = unknown> = ActivationEstimatorPlugin<C> | ScoreEstimatorPlugin<C>;

import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { Distribution } from '../distributions/distribution.js';
import type { PluginBase } from '../registry/plugin.js';

/**
 * Posterior families p(z|x) that an encoder can output.
 * - `diagonal-gaussian`: mean and log-variance heads (the seeds' VIB layer)
 * - `full-gaussian`: mean and Cholesky-factor heads (Alemi et al.'s 2-D embedding)
 * - `squashed-gaussian`: a diagonal Gaussian pushed through a sigmoid into a box (for uniform priors)
 */
export type PosteriorFamily = 'diagonal-gaussian' | 'full-gaussian' | 'squashed-gaussian';

/** What a prior gets when it is created inside a bottleneck layer. */
export interface PriorContext {
  /** Latent dimension K. */
  readonly latentDim: number;
  /**
   * Create a weight owned by the bottleneck layer, so it is trained (when trainable)
   * and saved/loaded with the model.
   * @param name - weight name, unique within the prior
   * @param shape - weight shape
   * @param initial - initial value (scalar broadcast to `shape`, or a tensor of that shape)
   * @param trainable - whether the optimizer updates it
   * @returns the variable
   */
  addWeight(name: string, shape: number[], initial: number | tf.Tensor, trainable: boolean): tf.Variable;
}

/** A created prior r(z). */
export interface Prior {
  /**
   * The prior as a distribution with batch size 1, read from the current weights.
   * @returns r(z)
   */
  distribution(): Distribution;
  /** Box bounds [low, high] per dimension for bounded priors (the squashed posterior maps into it). */
  readonly bounds?: { readonly low: number; readonly high: number };
}

/**
 * A prior plugin: registered under kind `prior`.
 * @typeParam C - the parsed config type
 */
export interface PriorPlugin<C = unknown> extends PluginBase {
  /** Schema of the plugin's config (validated before `create`). */
  readonly configSchema: z.ZodType<C>;
  /** Posterior families this prior pairs with; the first is the default. */
  readonly posteriors: readonly PosteriorFamily[];
  /**
   * Create the prior.
   * @param config - validated config
   * @param context - latent size and a weight factory
   * @returns the prior
   */
  create(config: C, context: PriorContext): Prior;
}

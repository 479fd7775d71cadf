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

/**
 * The model's own encoder x → p(z|x), handed to a prior that declares `needsEncoder` (e.g. the VampPrior,
 * whose components are the posteriors of trainable pseudo-inputs).
 */
export interface PriorEncoder {
  /** Shape of one input, without the batch dimension (e.g. [28, 28]). */
  readonly inputShape: readonly number[];
  /** Whether the model's inputs lie in [0, 1] (pixels), so pseudo-inputs should too. */
  readonly inputsInUnitInterval: boolean;
  /**
   * The posterior p(z|x) of a batch of inputs, through the model's current encoder weights (gradients flow
   * to them and to `x`). Call it only inside `Prior.distribution()`: the encoder is wired after the prior is created.
   * @param x - inputs [B, ...inputShape]
   * @returns p(z|x) with batch size B (its tensors belong to the caller)
   * @throws {@link ConfigError} when called before the model has wired its encoder
   */
  posterior(x: tf.Tensor): Distribution;
}

/** What a prior gets when it is created inside a bottleneck layer. */
export interface PriorContext {
  /** Latent dimension K. */
  readonly latentDim: number;
  /** The model's encoder; present exactly when the plugin declares `needsEncoder: true`. */
  readonly encoder?: PriorEncoder;
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
   * Whether the prior is built from the model's own encoder (r(z) depends on p(z|·)): the model then
   * passes `context.encoder`, and weights the prior creates of the input's shape train and save with it.
   */
  readonly needsEncoder?: boolean;
  /**
   * Create the prior.
   * @param config - validated config
   * @param context - latent size, a weight factory, and the encoder when `needsEncoder` is set
   * @returns the prior
   */
  create(config: C, context: PriorContext): Prior;
}

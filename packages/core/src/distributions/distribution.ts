import type * as tf from '@tensorflow/tfjs';

/**
 * A batch of distributions over z ∈ ℝ^K (one per row), built from tensors.
 *
 * Shapes: `batchSize` B rows of events of size K. A distribution with B = 1 broadcasts
 * against any batch (priors r(z) are built that way). Every method returns new tensors;
 * callers dispose them (or run inside `tf.tidy`).
 */
export interface Distribution {
  /** Stable type name, used in messages and serialization (never `constructor.name`). */
  readonly typeName: string;
  /** Event size K (the latent dimension). */
  readonly eventSize: number;
  /** Batch size B (1 for a distribution that broadcasts over a batch). */
  readonly batchSize: number;
  /**
   * Draw reparameterized samples, so gradients flow to the parameters.
   * @param n - number of samples; when omitted the result has shape [B, K], else [n, B, K]
   * @param seed - optional seed for reproducible draws
   * @returns samples
   */
  sample(n?: number, seed?: number): tf.Tensor;
  /**
   * Log density, summed over the event dimension.
   * @param z - values of shape [..., B, K] (or [..., 1, K] / [K] broadcasting)
   * @returns log densities of shape [..., B]
   */
  logProb(z: tf.Tensor): tf.Tensor;
  /**
   * Log density of each dimension, for distributions that factorize over the K dimensions
   * (p(z) = Π_k p_k(z_k)); absent otherwise. Summing the last axis gives {@link Distribution.logProb}.
   * KL dispatch uses it to report per-dimension KL from Monte Carlo estimates.
   * @param z - values of shape [..., B, K] (or broadcasting)
   * @returns per-dimension log densities of shape [..., B, K]
   */
  logProbPerDim?(z: tf.Tensor): tf.Tensor;
  /**
   * Entropy in nats of each row, where a closed form exists.
   * @returns shape [B]
   */
  entropy?(): tf.Tensor;
  /**
   * The covariance matrix of each row, shape [B,K,K] (or [1,K,K]), for Gaussian families; absent
   * otherwise. Analysis (95% ellipses of p(z|x)) reads it instead of asking for a class.
   * @returns Σ
   */
  covariance?(): tf.Tensor;
  /**
   * The mean (for a squashed or mixture family: a deterministic summary code).
   * @returns shape [B, K]
   */
  mean(): tf.Tensor;
}

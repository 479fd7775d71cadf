import type { Task } from '../tasks/task-plugin.js';

/** Metrics of one training epoch (information in nats and bits; training figures are epoch means). */
export interface EpochMetrics {
  /** Epoch number, from 1. */
  readonly epoch: number;
  /** Mean training loss: task loss + rate term. */
  readonly loss: number;
  /** Mean training task loss E[−log q(y|z)] in nats (sampled z). */
  readonly taskLoss: number;
  /** Training accuracy from the sampled codes (classification), else null. */
  readonly trainAccuracy: number | null;
  /** Test accuracy with the mean code (classification), else null. */
  readonly testAccuracy: number | null;
  /** Test accuracy of q(y|x) averaged over the config's `evalSamples` sampled codes (classification), else null. */
  readonly testSampledAccuracy: number | null;
  /** Test −log q(y|z) with the mean code, nats per example. */
  readonly testLoss: number;
  /** Test reconstruction loss −log p(x|z) with the mean code, nats per example (reconstruction), else null. */
  readonly reconstructionNats: number | null;
  /** Training batch-mean KL(p(z|x) ‖ r(z)) in nats: an upper bound on I(X;Z). */
  readonly rateNats: number;
  /** {@link EpochMetrics.rateNats} in bits. */
  readonly rateBits: number;
  /**
   * Whether the rate is a closed-form KL (true: an upper bound on I(X;Z) up to the usual VIB caveats)
   * or a Monte Carlo estimate (false: the prior–posterior pair has no registered closed form).
   */
  readonly rateExact: boolean;
  /** H(Y) − training cross-entropy in nats: a lower bound on I(Z;Y) (classification), else null. */
  readonly izyNats: number | null;
  /** {@link EpochMetrics.izyNats} in bits. */
  readonly izyBits: number | null;
  /** Test-split mean KL(p(z|x) ‖ r(z)) in bits: the rate on held-out data (0 for a deterministic model). */
  readonly testRateBits: number;
  /** H(Y) − test cross-entropy (one sampled code per example) in bits: the I(Z;Y) lower bound on held-out data (classification), else null. */
  readonly testIzyBits: number | null;
  /** The controller's β at the end of the epoch. */
  readonly beta: number;
  /** The controller's full state (β, C, ...) at the end of the epoch. */
  readonly controllerState: Record<string, number>;
  /** Mean KL per latent dimension in nats, or null when the posterior/prior pair does not factorize. */
  readonly klPerDimNats: number[] | null;
  /**
   * The task's own metrics ({@link Task.metricNames}, e.g. `accuracy`, or a third party's `mse`) over the epoch's
   * training batches, from the sampled codes training draws. Absent in records made before they were kept.
   */
  readonly trainTaskMetrics?: Readonly<Record<string, number>>;
  /** The task's own metrics on the test split, from the mean code (as `testLoss`). Absent in older records. */
  readonly testTaskMetrics?: Readonly<Record<string, number>>;
  /** Learning rate used in the epoch. */
  readonly learningRate: number;
  /** Wall-clock seconds of the epoch (training and evaluation). */
  readonly seconds: number;
}

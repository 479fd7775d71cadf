/** The binning/KDE estimate of one hidden layer T on the information plane, in bits. */
export interface LayerInformation {
  /** Layer name, e.g. `hidden-1`. */
  readonly layer: string;
  /** Estimate of I(X;T) in bits. */
  readonly ixtBits: number;
  /** Estimate of I(T;Y) in bits. */
  readonly ityBits: number;
  /** The inputs n the estimates were made on: with X uniform over them, I(X;T) ≤ log2 n (absent in older records). */
  readonly inputs?: number;
}

/** What the model reports after one epoch, as the charts consume it. */
export interface EpochRecord {
  /** Epoch number, from 1. */
  readonly epoch: number;
  /** Mean training loss (task loss + rate term) over the epoch. */
  readonly loss: number;
  /** Accuracy on the training batches of the epoch, in [0, 1]. */
  readonly trainAccuracy: number;
  /** Accuracy on the test split (posterior mean codes), in [0, 1]. */
  readonly testAccuracy: number;
  /** Rate: test-mean KL(p(z|x) ‖ r(z)), an upper bound on I(X;Z), in nats. */
  readonly rateNats: number;
  /** The rate in bits. */
  readonly rateBits: number;
  /** Whether the rate is a closed-form KL (false: a Monte Carlo estimate, not a bound). */
  readonly rateExact: boolean;
  /** H(Y) − cross-entropy on the test split, a lower bound on I(Z;Y), in nats. */
  readonly izyNats: number;
  /** The I(Z;Y) bound in bits. */
  readonly izyBits: number;
  /** The effective β used in the epoch. */
  readonly beta: number;
  /** Test-mean KL per latent dimension, in nats. */
  readonly klPerDimNats: readonly number[];
  /** Per hidden layer binning estimates (12-bit task only). */
  readonly layers?: readonly LayerInformation[];
}

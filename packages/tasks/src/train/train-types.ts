import type { Dataset, Registry } from '@vib/core';
import type { ExperimentConfig } from '../config/experiment-config.js';
import type { EvaluationResult } from '../evaluate/evaluate.js';
import type { VibModel } from '../model/vib-model.js';
import type { TrainCheckpoint } from './checkpoint.js';
import type { TensorValues } from './serialized-tensor.js';
import type { EpochMetrics } from './epoch-metrics.js';
import type { CheckpointOptions, Trainer } from './trainer-types.js';

/** Progress after one batch. */
export interface BatchInfo {
  /** Epoch number, from 1. */
  readonly epoch: number;
  /** Batch number within the epoch, from 1. */
  readonly batch: number;
  /** Batches per epoch. */
  readonly batches: number;
  /** The batch's loss (task loss + rate term), mean over its examples. */
  readonly loss: number;
  /** Running means over the epoch's training batches so far, this one included (sampled codes). */
  readonly epochSoFar: EpochSoFar;
}

/**
 * Training figures of the epoch under way, as means over its examples so far. After the epoch's last batch they
 * equal the epoch's {@link EpochMetrics} `loss`, `rateBits`, `rateExact` and the task's training metrics.
 */
export interface EpochSoFar {
  /** Training examples seen in the epoch so far. */
  readonly examples: number;
  /** Mean loss (task loss + rate term). */
  readonly loss: number;
  /** Mean KL(p(z|x) ‖ r(z)) in bits: the training rate. */
  readonly rateBits: number;
  /** Whether every batch's KL so far was a closed form (false: the rate is a Monte Carlo estimate). */
  readonly rateExact: boolean;
  /** The task's training metrics by name (e.g. `accuracy` of the sampled codes for classification). */
  readonly metrics: Readonly<Record<string, number>>;
}

/** What an `onBatchEnd` callback can do. */
export interface BatchControl {
  /**
   * Capture a checkpoint of the run as it is now (between two batches); resuming from it continues
   * with the next batch of the same epoch and ends bitwise identical to an uninterrupted run. Takes the options of
   * {@link Trainer.checkpoint}: plain JSON by default, `{ values: 'typed' }` for typed arrays.
   */
  readonly saveCheckpoint: Trainer['checkpoint'];
}

/** What an `onEpochEnd` callback can do. */
export interface TrainControl {
  /** Stop after this epoch. */
  stop(): void;
  /**
   * Capture a checkpoint of the run as it is now (end of this epoch). Takes the options of
   * {@link Trainer.checkpoint}: plain JSON by default, `{ values: 'typed' }` for typed arrays.
   */
  readonly saveCheckpoint: Trainer['checkpoint'];
}

/** Training callbacks; each may be async (the loop awaits it). */
export interface TrainCallbacks {
  /** After every optimizer step. */
  onBatchEnd?(info: BatchInfo, control: BatchControl): void | Promise<void>;
  /** After every epoch; return `false` (or call `control.stop()`) to stop. */
  onEpochEnd?(metrics: EpochMetrics, control: TrainControl): void | boolean | Promise<void | boolean>;
}

/** Options of `train`. */
export interface TrainOptions {
  /** A validated experiment config. */
  readonly config: ExperimentConfig;
  /** Resolves prior, controller and task. */
  readonly registry: Registry;
  /** The loaded dataset. */
  readonly dataset: Dataset;
  /** Progress callbacks. */
  readonly callbacks?: TrainCallbacks;
  /** Stops the run after the current batch when aborted. */
  readonly signal?: AbortSignal;
  /** A checkpoint to continue from (same config and dataset: anything else is refused, naming what differs), with plain or typed values. */
  readonly resumeFrom?: TrainCheckpoint<TensorValues>;
  /**
   * Config fields (dotted paths or their prefixes, e.g. `'epochs'`, `'controller'`) that may differ from the
   * checkpoint's, for a caller that extends a run on purpose; by default every difference is refused.
   */
  readonly resumeAllow?: readonly string[];
  /**
   * The form of the returned {@link TrainResult.checkpoint}'s values, as for {@link Trainer.checkpoint}: plain arrays
   * by default, or `{ values: 'typed' }` for a Float32Array or Int32Array per tensor (half the memory of plain arrays
   * for a large model, and what a binary file wants). Checked before training starts.
   */
  readonly checkpoint?: CheckpointOptions;
}

/** Why a run ended. */
export type StopReason = 'completed' | 'early-stopping' | 'callback' | 'aborted';

/**
 * What `train` returns.
 * @typeParam V - the form of the checkpoint's values: `number[]` (the default), or typed arrays where
 *   `options.checkpoint` asked for `{ values: 'typed' }`
 */
export interface TrainResult<V extends TensorValues = number[]> {
  /** The trained model (with the EMA weights when the config keeps an EMA). */
  readonly model: VibModel;
  /** Metrics per completed epoch. */
  readonly history: EpochMetrics[];
  /** Why the run ended. */
  readonly stopReason: StopReason;
  /** A checkpoint at the last completed batch (an abort mid-epoch resumes with the next batch). */
  readonly checkpoint: TrainCheckpoint<V>;
  /** Final test evaluation (mean, one sample, `evalSamples` samples). */
  readonly evaluation: EvaluationResult;
}

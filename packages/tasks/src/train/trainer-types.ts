import type { Dataset, Registry } from '@vib/core';
import type { ExperimentConfig } from '../config/experiment-config.js';
import type { EvaluateOptions, EvaluationResult } from '../evaluate/evaluate.js';
import type { VibModel } from '../model/vib-model.js';
import type { TrainCheckpoint } from './checkpoint.js';
import type { TensorValues, TypedTensorValues, ValuesForm } from './serialized-tensor.js';
import type { EpochMetrics } from './epoch-metrics.js';
import type { BatchInfo } from './train-types.js';

/** Options of `createTrainer`. */
export interface TrainerOptions {
  /** A validated experiment config (`parseExperimentConfig`). */
  readonly config: ExperimentConfig;
  /** Resolves prior, controller, task and KL rules. */
  readonly registry: Registry;
  /** The loaded dataset. */
  readonly dataset: Dataset;
  /**
   * A checkpoint to continue from (same config and dataset: anything else is refused, naming what differs), with
   * plain or typed values.
   */
  readonly resumeFrom?: TrainCheckpoint<TensorValues>;
  /**
   * Config fields (dotted paths or their prefixes, e.g. `'epochs'`, `'controller'`) that may differ from the
   * checkpoint's, for a caller that changes them on purpose; by default every difference is refused.
   */
  readonly resumeAllow?: readonly string[];
}

/** Options of {@link Trainer.checkpoint}. */
export interface CheckpointOptions {
  /**
   * The form of the tensors' values: `'json'` (plain arrays, the default: the checkpoint survives `JSON.stringify`) or
   * `'typed'` (a Float32Array or Int32Array per tensor, for a binary file: 4 bytes a value where a plain array takes 8
   * on the JavaScript heap, so a large model's checkpoint costs half the memory and no conversion).
   */
  readonly values?: ValuesForm;
}

/** Options of {@link Trainer.epoch}. */
export interface EpochOptions {
  /** Pauses after the current batch when aborted; the next `epoch()` call continues the same epoch. */
  readonly signal?: AbortSignal;
  /** After every optimizer step (awaited). */
  onBatchEnd?(info: BatchInfo): void | Promise<void>;
}

/** What {@link Trainer.epoch} returns. */
export type EpochOutcome =
  | {
      /** The epoch completed. */
      readonly completed: true;
      /** Its metrics. */
      readonly metrics: EpochMetrics;
      /** Whether early stopping (config `earlyStopping`) asks to stop after this epoch. */
      readonly earlyStop: boolean;
    }
  | {
      /** Paused mid-epoch by the signal. */
      readonly completed: false;
    };

/** A plugin reference: a registered name and its config. */
export interface PluginRef {
  /** Registered name. */
  readonly name: string;
  /** The plugin's config (validated by its schema). */
  readonly config?: unknown;
}

/**
 * An open training run: the live model and optimizer, driven one step or one epoch at a time.
 * `train()` is a loop over it; apps drive it directly to change β or the controller between epochs,
 * to read the live model after each epoch, or to evaluate whenever they like.
 */
export interface Trainer {
  /** The live model (weights change as it trains; with an EMA, the raw weights until `finish`). */
  readonly model: VibModel;
  /** The config as it stands (its `controller` follows {@link Trainer.setController}). */
  readonly config: ExperimentConfig;
  /** Metrics of every completed epoch. */
  readonly history: readonly EpochMetrics[];
  /** Epochs completed. */
  readonly epochsDone: number;
  /** Optimizer steps taken. */
  readonly stepsDone: number;
  /** Optimizer steps per epoch. */
  readonly stepsPerEpoch: number;
  /** Whether an epoch is under way (some of its steps taken). */
  readonly midEpoch: boolean;
  /**
   * One optimizer step on the next batch (starting a new epoch, shuffled, when none is under way).
   * Call {@link Trainer.endEpoch} after the epoch's last step. Asynchronous: the step's figures are read
   * back with `await data()` (a GPU backend such as webgpu in Node has no synchronous read); await each
   * step before the next.
   * @returns the step's position and loss
   * @throws {@link NonFiniteLossError} when the loss becomes NaN or infinite
   * @throws {@link VibError} `E_STEP_BUSY` when called again before the previous step has finished
   */
  step(): Promise<BatchInfo>;
  /** Whether the epoch under way has taken all its steps. */
  readonly epochStepsDone: boolean;
  /**
   * Close a fully stepped epoch: evaluate on the test split, record metrics, update early stopping.
   * @returns the epoch's metrics and whether early stopping asks to stop
   * @throws {@link VibError} `E_EPOCH_NOT_DONE` when the epoch still has steps to take
   */
  endEpoch(): Promise<EpochOutcome & { completed: true }>;
  /**
   * Train the rest of the current epoch (a whole one when none is under way), yielding to the event
   * loop between batches, then close it.
   * @param options - abort signal (pauses), per-batch callback
   * @returns the outcome
   */
  epoch(options?: EpochOptions): Promise<EpochOutcome>;
  /**
   * Evaluate the live model (EMA weights when the config keeps an EMA).
   * @param options - samples, batch size, seed
   * @param split - the data (default: the test split)
   * @returns the evaluation
   */
  evaluate(options?: EvaluateOptions, split?: Dataset['test']): Promise<EvaluationResult>;
  /**
   * Use the fixed controller with this β from the next step on (shorthand for `setController`).
   * @param beta - β ≥ 0
   * @throws {@link ConfigError} for a negative or non-finite β
   */
  setBeta(beta: number): void;
  /**
   * Replace the rate controller from the next step on; the saved model and checkpoints record it.
   * @param ref - a registered controller name and its config
   * @throws {@link NoSuchPluginError} / {@link ConfigError} for an unknown name or a bad config
   */
  setController(ref: PluginRef): void;
  /**
   * A checkpoint of the run as it stands, between two batches or at an epoch boundary (plain JSON;
   * `resumeFrom` continues it and ends bitwise identical to an uninterrupted run).
   * @param options - `{ values: 'json' }` or nothing: plain arrays
   * @returns the checkpoint
   * @throws {@link ConfigError} when `values` is neither `'json'` nor `'typed'`
   */
  checkpoint(options?: CheckpointOptions & { readonly values?: 'json' }): Promise<TrainCheckpoint>;
  /**
   * The same checkpoint with typed values (`{ values: 'typed' }`): each tensor's values a Float32Array or Int32Array
   * of its own, for a binary file (`resumeFrom` takes it as it is; `JSON.stringify` does not).
   * @param options - `{ values: 'typed' }`
   * @returns the checkpoint
   */
  checkpoint(options: CheckpointOptions & { readonly values: 'typed' }): Promise<TrainCheckpoint<TypedTensorValues>>;
  /**
   * The checkpoint in the form `options.values` names, when that is only known at run time.
   * @param options - `{ values }`
   * @returns the checkpoint, with plain or typed values
   */
  checkpoint(options: CheckpointOptions): Promise<TrainCheckpoint<TensorValues>>;
  /**
   * End the run: swap in the EMA weights (when kept), free the optimizer, and evaluate with
   * `evalSamples` codes. The model stays usable; the trainer does not.
   * @returns the final evaluation
   */
  finish(): Promise<EvaluationResult>;
}

import type { ExperimentConfig } from '../config/experiment-config.js';
import type { EpochMetrics } from './epoch-metrics.js';
import type { DataFingerprint } from './data-fingerprint.js';
import type { SerializedTensor, TensorValues, TypedTensorValues } from './serialized-tensor.js';

/** Where a run stood inside an epoch when a checkpoint was taken between two batches. */
export interface EpochProgress {
  /** State of the shuffling generator before this epoch's permutation was drawn. */
  readonly rngStateAtStart: number;
  /** Batches of this epoch already taken. */
  readonly batchesDone: number;
  /** Running sums of the epoch's training figures, as the trainer keeps them (per-example sums). */
  readonly sums: {
    readonly batches: number;
    readonly examples: number;
    readonly loss: number;
    readonly taskLoss: number;
    readonly kl: number;
    readonly metrics: number[];
    readonly klPerDim: number[] | null;
    readonly rateExact: boolean;
  };
}

/**
 * Everything needed to continue a training run exactly: weights, optimizer moments, weight averages,
 * controller state, the shuffling generator's state and the position (epoch, step). Plain JSON by default:
 * `JSON.stringify` it to save, `JSON.parse` it and pass it as `resumeFrom` to continue. With typed values
 * (`trainer.checkpoint({ values: 'typed' })`, `V` = {@link TypedTensorValues}) it is the same checkpoint for a binary
 * file: each tensor's values a Float32Array or Int32Array (half the memory of a plain array, nothing to convert),
 * and `resumeFrom` takes it as it is.
 * @typeParam V - the form of the tensors' values
 */
export interface TrainCheckpoint<V extends TensorValues = number[]> {
  /** Marks the format. */
  readonly format: 'vib-train-checkpoint';
  /** Format version: 2 (1, without Adam's accumulated powers, progress inside an epoch or data fingerprint, still loads). */
  readonly version: 1 | 2;
  /** The run's config. */
  readonly config: ExperimentConfig;
  /** Epochs completed. */
  readonly epoch: number;
  /** Optimizer steps taken. */
  readonly step: number;
  /** State of the shuffling generator. */
  readonly rngState: number;
  /** Model weights in `model.getWeights()` order. */
  readonly weights: SerializedTensor<V>[];
  /** Optimizer state (Adam: iterations, first and second moments). */
  readonly optimizer: SerializedTensor<V>[];
  /** Adam's accumulated β₁ᵗ and β₂ᵗ as the optimizer holds them (float32 products, not recomputed powers). */
  readonly adamPowers?: { readonly beta1Power: number; readonly beta2Power: number };
  /** Progress inside the current epoch; null at an epoch boundary. */
  readonly epochProgress?: EpochProgress | null;
  /** The data the run was trained on; a resume on other data is refused. */
  readonly data?: DataFingerprint;
  /** Weight averages, when the run keeps an EMA. */
  readonly ema: SerializedTensor<V>[] | null;
  /** Controller state (β, C, ...). */
  readonly controllerState: Record<string, number>;
  /** Metrics of the completed epochs. */
  readonly history: EpochMetrics[];
  /** Early-stopping bookkeeping. */
  readonly earlyStopping: { readonly best: number | null; readonly wait: number };
}

import type { ExperimentConfig } from '../config/experiment-config.js';
import type { EpochMetrics } from './epoch-metrics.js';
import type { SerializedTensor } from './serialized-tensor.js';

/**
 * Everything needed to continue a training run exactly: weights, optimizer moments, weight averages,
 * controller state, the shuffling generator's state and the position (epoch, step). Plain JSON:
 * `JSON.stringify` it to save, `JSON.parse` it and pass it as `resumeFrom` to continue.
 */
export interface TrainCheckpoint {
  /** Marks the format. */
  readonly format: 'vib-train-checkpoint';
  /** Format version. */
  readonly version: 1;
  /** The run's config. */
  readonly config: ExperimentConfig;
  /** Epochs completed. */
  readonly epoch: number;
  /** Optimizer steps taken. */
  readonly step: number;
  /** State of the shuffling generator. */
  readonly rngState: number;
  /** Model weights in `model.getWeights()` order. */
  readonly weights: SerializedTensor[];
  /** Optimizer state (Adam: iterations, first and second moments). */
  readonly optimizer: SerializedTensor[];
  /** Weight averages, when the run keeps an EMA. */
  readonly ema: SerializedTensor[] | null;
  /** Controller state (β, C, ...). */
  readonly controllerState: Record<string, number>;
  /** Metrics of the completed epochs. */
  readonly history: EpochMetrics[];
  /** Early-stopping bookkeeping. */
  readonly earlyStopping: { readonly best: number | null; readonly wait: number };
}

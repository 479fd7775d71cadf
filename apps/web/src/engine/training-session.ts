import type { Dataset, Registry } from '@vib/core';
import { parseExperimentConfig, train, type BatchInfo, type EpochMetrics, type ExperimentConfigInput, type TrainCheckpoint, type VibModel } from '@vib/tasks';
import { PageYielder } from './yield.js';

/** Callbacks of {@link TrainingSession.run}. */
export interface SessionCallbacks {
  /** After every optimizer step. */
  onBatchEnd?(info: BatchInfo): void;
  /** After every epoch, with @vib/tasks' metrics and the model as it stands. */
  onEpochEnd?(metrics: EpochMetrics, model: VibModel): void | Promise<void>;
}

/**
 * Runs @vib/tasks' `train` (the same loop as `vib train`) one epoch per call, resuming from the
 * previous epoch's checkpoint. That gives the page the model after every epoch (for the pictures),
 * lets β change between epochs (written into the checkpoint's controller state), and makes Stop
 * safe: an aborted epoch is dropped and the next run resumes from the last completed one.
 * Each step awaits a {@link PageYielder}, so the page stays responsive on the main thread.
 */
export class TrainingSession {
  /** Metrics of every completed epoch. */
  readonly history: EpochMetrics[] = [];
  /** The model after the last completed epoch (null before the first). */
  model: VibModel | null = null;
  private checkpoint: TrainCheckpoint | null = null;
  private abort: AbortController | null = null;

  /**
   * @param registry - registry with dataset, prior, controller and task plugins
   * @param dataset - the loaded data
   * @param input - experiment config as written (`beta` is set per epoch from {@link TrainingSession.beta})
   * @param beta - initial β of the fixed controller
   */
  constructor(
    readonly registry: Registry,
    readonly dataset: Dataset,
    readonly input: Omit<ExperimentConfigInput, 'beta' | 'controller' | 'epochs'>,
    public beta: number,
  ) {
    // Validate now, so a bad config fails at creation with a ConfigError naming the field.
    parseExperimentConfig({ ...input, beta, epochs: 1 }, registry);
  }

  /** Epochs completed. */
  get epoch(): number {
    return this.history.length;
  }

  /** Whether a run is in progress. */
  get isRunning(): boolean {
    return this.abort !== null;
  }

  /** Stop now; the epoch in progress is dropped, the model stays at the last completed epoch. */
  stop(): void {
    this.abort?.abort();
  }

  /**
   * Train up to `epochs` more epochs.
   * @param epochs - epochs to add
   * @param callbacks - progress and per-epoch reports
   * @returns metrics of the epochs completed in this call
   */
  async run(epochs: number, callbacks: SessionCallbacks = {}): Promise<EpochMetrics[]> {
    if (this.abort) return [];
    const abort = new AbortController();
    this.abort = abort;
    const yielder = new PageYielder();
    const done: EpochMetrics[] = [];
    try {
      for (let e = 0; e < epochs && !abort.signal.aborted; e++) {
        const config = parseExperimentConfig({ ...this.input, beta: this.beta, epochs: this.epoch + 1 }, this.registry);
        const resumeFrom = this.checkpoint ? { ...this.checkpoint, controllerState: { ...this.checkpoint.controllerState, beta: this.beta } } : undefined;
        const result = await train({
          config,
          registry: this.registry,
          dataset: this.dataset,
          signal: abort.signal,
          ...(resumeFrom ? { resumeFrom } : {}),
          callbacks: {
            onBatchEnd: async (info) => {
              callbacks.onBatchEnd?.(info);
              await yielder.maybeYield();
            },
          },
        });
        const metrics = result.history.at(-1);
        if (result.checkpoint === null || metrics === undefined || metrics.epoch !== this.epoch + 1) {
          result.model.model.dispose();
          break;
        }
        this.model?.model.dispose();
        this.model = result.model;
        this.checkpoint = result.checkpoint;
        this.history.push(metrics);
        done.push(metrics);
        await callbacks.onEpochEnd?.(metrics, result.model);
        await yielder.maybeYield();
      }
    } finally {
      this.abort = null;
    }
    return done;
  }

  /** Stop and free the model. */
  dispose(): void {
    this.stop();
    this.model?.model.dispose();
    this.model = null;
  }
}

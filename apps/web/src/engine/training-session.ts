import type { Dataset, Registry } from '@vib/core';
import { createTrainer, parseExperimentConfig, type BatchInfo, type EpochMetrics, type ExperimentConfigInput, type Trainer, type VibModel } from '@vib/tasks';
import { PageYielder } from './yield.js';

/** Callbacks of {@link TrainingSession.run}. */
export interface SessionCallbacks {
  /** After every optimizer step. */
  onBatchEnd?(info: BatchInfo): void;
  /** After every epoch, with @vib/tasks' metrics and the live model. */
  onEpochEnd?(metrics: EpochMetrics, model: VibModel): void | Promise<void>;
}

/**
 * Drives @vib/tasks' open trainer (the one `vib train` drives) for the page: the live model after
 * every epoch (for the pictures), a β that changes between epochs (set on the trainer, no rebuild),
 * and a Stop that pauses after the current step; the next run continues that epoch where it was.
 * Each step awaits a {@link PageYielder}, so the page stays responsive on the main thread.
 */
export class TrainingSession {
  private trainer: Trainer | null = null;
  private abort: AbortController | null = null;
  private readonly config;

  /**
   * @param registry - registry with dataset, prior, controller and task plugins
   * @param dataset - the loaded data
   * @param input - experiment config as written (β is {@link TrainingSession.beta}, applied at each epoch start)
   * @param beta - initial β of the fixed controller
   * @throws {@link ConfigError} naming the field of a bad config
   */
  constructor(
    readonly registry: Registry,
    readonly dataset: Dataset,
    readonly input: Omit<ExperimentConfigInput, 'beta' | 'controller' | 'epochs'>,
    public beta: number,
  ) {
    // epochs: 1 only sets the schedule horizon; the session trains as many epochs as asked
    this.config = parseExperimentConfig({ ...input, beta, epochs: 1 }, registry);
  }

  /** Metrics of every completed epoch. */
  get history(): readonly EpochMetrics[] {
    return this.trainer?.history ?? [];
  }

  /** The live model (null before the first run). */
  get model(): VibModel | null {
    return this.trainer?.model ?? null;
  }

  /** Epochs completed. */
  get epoch(): number {
    return this.trainer?.epochsDone ?? 0;
  }

  /** Whether a run is in progress. */
  get isRunning(): boolean {
    return this.abort !== null;
  }

  /** Pause after the current step; the next {@link TrainingSession.run} continues the epoch. */
  stop(): void {
    this.abort?.abort();
  }

  /**
   * Train up to `epochs` more epochs (finishing a paused one first).
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
      this.trainer ??= await createTrainer({ config: this.config, registry: this.registry, dataset: this.dataset });
      const trainer = this.trainer;
      for (let e = 0; e < epochs && !abort.signal.aborted; e++) {
        if (!trainer.midEpoch && trainer.model.bottleneck.controller.beta !== this.beta) trainer.setBeta(this.beta);
        const outcome = await trainer.epoch({
          signal: abort.signal,
          onBatchEnd: async (info) => {
            callbacks.onBatchEnd?.(info);
            await yielder.maybeYield();
          },
        });
        if (!outcome.completed) break;
        done.push(outcome.metrics);
        await callbacks.onEpochEnd?.(outcome.metrics, trainer.model);
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
    this.trainer?.model.model.dispose();
    this.trainer = null;
  }
}

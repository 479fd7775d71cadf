import { createTrainer } from './create-trainer.js';
import type { StopReason, TrainOptions, TrainResult } from './train-types.js';

/**
 * Train a VIB model: minimise E[−log q(y|z)] + rate term (β·KL for the fixed controller) with Adam,
 * for `config.epochs` epochs. A thin loop over {@link createTrainer}.
 *
 * Deterministic for a seed (weight initialization, shuffling and reparameterization noise are all
 * seeded); yields to the event loop between batches; honours `signal`; optional learning-rate
 * schedule and EMA of weights (per-epoch test figures and the returned model use the EMA weights);
 * early stopping; checkpoints that resume exactly.
 * @param options - config, registry, dataset, callbacks, abort signal, checkpoint to resume from
 * @returns the model, per-epoch metrics, why it stopped, a checkpoint and a final test evaluation
 * @throws {@link NonFiniteLossError} when the loss becomes NaN or infinite (names epoch and batch)
 * @throws {@link CheckpointError} when `resumeFrom` does not match the config
 * @example
 * ```ts
 * const result = await train({ config, registry, dataset, callbacks: { onEpochEnd: (m) => console.log(m.rateBits) } });
 * ```
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { config, callbacks, signal } = options;
  const trainer = await createTrainer(options);
  const batchControl = { saveCheckpoint: () => trainer.checkpoint() };
  let stopReason: StopReason = 'completed';
  while (trainer.epochsDone < config.epochs) {
    if (signal?.aborted === true) {
      stopReason = 'aborted';
      break;
    }
    const outcome = await trainer.epoch({
      ...(signal === undefined ? {} : { signal }),
      ...(callbacks?.onBatchEnd === undefined ? {} : { onBatchEnd: (b) => callbacks.onBatchEnd?.(b, batchControl) }),
    });
    if (!outcome.completed) {
      stopReason = 'aborted';
      break;
    }
    let stop = outcome.earlyStop;
    if (stop) stopReason = 'early-stopping';
    const control = {
      stop: () => {
        stop = true;
        stopReason = 'callback';
      },
      saveCheckpoint: () => trainer.checkpoint(),
    };
    if ((await callbacks?.onEpochEnd?.(outcome.metrics, control)) === false) {
      stop = true;
      stopReason = 'callback';
    }
    if (stop) break;
  }
  // after an abort mid-epoch the position is a batch boundary: the checkpoint resumes it exactly
  const checkpoint = await trainer.checkpoint();
  const evaluation = await trainer.finish();
  return { model: trainer.model, history: [...trainer.history], stopReason, checkpoint, evaluation };
}

import { createTrainer } from './create-trainer.js';
import type { TensorValues, TypedTensorValues } from './serialized-tensor.js';
import { checkpointForm } from './train-state.js';
import type { StopReason, TrainOptions, TrainResult } from './train-types.js';
import type { CheckpointOptions, Trainer } from './trainer-types.js';

/**
 * Train a VIB model: minimise E[−log q(y|z)] + rate term (β·KL for the fixed controller) with Adam,
 * for `config.epochs` epochs. A thin loop over {@link createTrainer}.
 *
 * Deterministic for a seed (weight initialization, shuffling and reparameterization noise are all
 * seeded); yields to the event loop between batches; honours `signal`; optional learning-rate
 * schedule and EMA of weights (per-epoch test figures and the returned model use the EMA weights);
 * early stopping; checkpoints that resume exactly.
 * @param options - config, registry, dataset, callbacks, abort signal, checkpoint to resume from, the returned
 *   checkpoint's form
 * @returns the model, per-epoch metrics, why it stopped, a checkpoint (plain JSON) and a final test evaluation
 * @throws {@link NonFiniteLossError} when the loss becomes NaN or infinite (names epoch and batch)
 * @throws {@link CheckpointError} when `resumeFrom` does not match the config
 * @throws {@link ConfigError} when `checkpoint` names neither form (before training starts)
 * @example
 * ```ts
 * const result = await train({ config, registry, dataset, callbacks: { onEpochEnd: (m) => console.log(m.rateBits) } });
 * ```
 */
export async function train(options: TrainOptions & { readonly checkpoint?: CheckpointOptions & { readonly values?: 'json' } }): Promise<TrainResult>;
/**
 * The same run, its returned checkpoint with typed values (`checkpoint: { values: 'typed' }`): a Float32Array or
 * Int32Array per tensor, half the memory of plain arrays, for a binary file.
 * @param options - as above, with `checkpoint: { values: 'typed' }`
 * @returns the model, metrics, why it stopped, the typed checkpoint and the final evaluation
 */
export async function train(options: TrainOptions & { readonly checkpoint: CheckpointOptions & { readonly values: 'typed' } }): Promise<TrainResult<TypedTensorValues>>;
/**
 * The same run, the checkpoint's form known only at run time.
 * @param options - as above
 * @returns the model, metrics, why it stopped, the checkpoint (plain or typed values) and the final evaluation
 */
export async function train(options: TrainOptions): Promise<TrainResult<TensorValues>>;
export async function train(options: TrainOptions): Promise<TrainResult<TensorValues>> {
  const { config, callbacks, signal } = options;
  // checked first: a wrong form found only after the last epoch would cost the whole run
  const form = checkpointForm(options.checkpoint, 'train');
  const trainer = await createTrainer(options);
  // one implementation of Trainer.checkpoint's three overloads, its errors naming the callbacks' saveCheckpoint
  const saveCheckpoint = ((o?: CheckpointOptions) => trainer.checkpoint({ values: checkpointForm(o, 'saveCheckpoint') })) as Trainer['checkpoint'];
  const batchControl = { saveCheckpoint };
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
      saveCheckpoint,
    };
    if ((await callbacks?.onEpochEnd?.(outcome.metrics, control)) === false) {
      stop = true;
      stopReason = 'callback';
    }
    if (stop) break;
  }
  // after an abort mid-epoch the position is a batch boundary: the checkpoint resumes it exactly
  const checkpoint = await trainer.checkpoint({ values: form });
  const evaluation = await trainer.finish();
  return { model: trainer.model, history: [...trainer.history], stopReason, checkpoint, evaluation };
}

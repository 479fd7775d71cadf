import * as tf from '@tensorflow/tfjs';
import { NonFiniteLossError, SeededRandom, stepSeed } from '@vib/core';
import type { DataSplit } from '@vib/core';
import { gatherBatch } from '../evaluate/split-batches.js';
import { forward } from '../model/forward.js';
import type { VibModel } from '../model/vib-model.js';
import type { WeightAverage } from './ema.js';
import type { RunPosition } from './train-state.js';
import type { TrainCallbacks } from './train-types.js';

/** Epoch sums of the training figures. */
export interface EpochSums {
  readonly batches: number;
  readonly examples: number;
  readonly loss: number;
  readonly taskLoss: number;
  readonly kl: number;
  readonly correct: number;
  readonly klPerDim: number[] | null;
  readonly aborted: boolean;
}

/** What one epoch needs. */
export interface EpochContext {
  readonly vm: VibModel;
  readonly optimizer: tf.Optimizer;
  readonly vars: tf.Variable[];
  readonly ema: WeightAverage | null;
  readonly pos: RunPosition;
  readonly totalSteps: number;
  readonly callbacks: TrainCallbacks | undefined;
  readonly signal: AbortSignal | undefined;
}

function batchStats(vm: VibModel, x: tf.Tensor, y: tf.Tensor, seed: number, keep: (t: tf.Tensor) => void) {
  return () => {
    const f = forward(vm, x, y, { training: true, seed });
    const correct =
      vm.task.kind === 'classification' ? tf.sum(tf.cast(tf.equal(tf.argMax(f.raw, -1), y), 'float32')) : tf.scalar(0);
    const head = tf.stack([f.loss, f.taskLoss, f.encoded.klMean, correct]);
    keep(tf.keep(f.encoded.klPerDim === null ? head : tf.concat([head, f.encoded.klPerDim])));
    return f.loss;
  };
}

/**
 * Run one training epoch: shuffle with the run's generator, one Adam step per batch, controller
 * and EMA updates, callbacks, and a yield to the event loop between batches.
 * @param split - training data
 * @param batchSize - examples per batch
 * @param seed - run seed (mixed with the step for the reparameterization noise)
 * @param ctx - model, optimizer and run state
 * @returns the epoch's sums
 * @throws {@link NonFiniteLossError} naming the epoch and batch where the loss became NaN or infinite
 */
export async function runEpoch(split: DataSplit, batchSize: number, seed: number, ctx: EpochContext): Promise<EpochSums> {
  const { vm, optimizer, vars, pos } = ctx;
  const rng = new SeededRandom(pos.rngState);
  const order = rng.permutation(split.n);
  pos.rngState = rng.state;
  const batches = Math.ceil(split.n / batchSize);
  const sums = { loss: 0, taskLoss: 0, kl: 0, correct: 0, examples: 0 };
  let klPerDim: number[] | null = null;
  for (let b = 0; b < batches; b++) {
    const idx = order.subarray(b * batchSize, Math.min(split.n, (b + 1) * batchSize));
    const { x, y } = gatherBatch(split, vm.inputShape, idx);
    let stats: tf.Tensor | undefined;
    const cost = optimizer.minimize(batchStats(vm, x, y, stepSeed(seed, pos.step), (t) => (stats = t)), true, vars);
    const values = Array.from((stats as tf.Tensor).dataSync());
    tf.dispose([x, y, stats as tf.Tensor, cost as tf.Scalar]);
    const [loss = NaN, taskLoss = NaN, kl = NaN, correct = 0] = values;
    if (!Number.isFinite(loss)) {
      throw new NonFiniteLossError(
        `loss became ${loss} at epoch ${pos.epoch + 1}, batch ${b + 1} of ${batches} (task loss ${taskLoss}, KL ${kl} nats): lower the learning rate, check the inputs for NaN/Inf, or use the softplus scale`,
        { details: { epoch: pos.epoch + 1, batch: b + 1, loss, taskLoss, klNats: kl } },
      );
    }
    const n = idx.length;
    sums.loss += loss * n;
    sums.taskLoss += taskLoss * n;
    sums.kl += kl * n;
    sums.correct += correct;
    sums.examples += n;
    if (values.length > 4) {
      const per = values.slice(4);
      klPerDim = klPerDim === null ? per.map((v) => v * n) : klPerDim.map((v, i) => v + (per[i] ?? 0) * n);
    }
    vm.bottleneck.controller.update({ klNats: kl, step: pos.step, totalSteps: ctx.totalSteps });
    ctx.ema?.update(pos.step);
    pos.step += 1;
    await ctx.callbacks?.onBatchEnd?.({ epoch: pos.epoch + 1, batch: b + 1, batches, loss });
    await tf.nextFrame();
    if (ctx.signal?.aborted === true) return { ...sums, batches: b + 1, klPerDim, aborted: true };
  }
  return { ...sums, batches, klPerDim, aborted: false };
}

import * as tf from '@tensorflow/tfjs';
import { NonFiniteLossError, information, stepSeed } from '@vib/core';
import type { BatchSource } from './batch-source.js';
import type { EpochSoFar } from './train-types.js';
import { forward } from '../model/forward.js';
import type { VibModel } from '../model/vib-model.js';

/** Running sums of an epoch's training figures (per-example sums; divide by `examples`). */
export interface EpochSums {
  batches: number;
  examples: number;
  loss: number;
  taskLoss: number;
  kl: number;
  /** Sums of the task's metrics, in `task.metricNames` order. */
  metrics: number[];
  klPerDim: number[] | null;
  /** False once any batch's KL was a Monte Carlo estimate. */
  rateExact: boolean;
}

/**
 * Fresh epoch sums.
 * @returns zeroed sums
 */
export function emptySums(): EpochSums {
  return { batches: 0, examples: 0, loss: 0, taskLoss: 0, kl: 0, metrics: [], klPerDim: null, rateExact: true };
}

/**
 * The epoch's training figures so far: means of the sums over their examples.
 * @param sums - the epoch's running sums
 * @param metricNames - the task's metric names, in the sums' order
 * @returns the running means (zeros before the first batch)
 */
export function epochSoFar(sums: EpochSums, metricNames: readonly string[]): EpochSoFar {
  const n = Math.max(sums.examples, 1);
  const metrics: Record<string, number> = {};
  metricNames.forEach((name, i) => (metrics[name] = (sums.metrics[i] ?? 0) / n));
  return { examples: sums.examples, loss: sums.loss / n, rateBits: information(sums.kl / n).bits, rateExact: sums.rateExact, metrics };
}

/** What one optimizer step needs. */
export interface StepContext {
  readonly vm: VibModel;
  readonly optimizer: tf.Optimizer;
  readonly vars: tf.Variable[];
  /** Run seed, mixed with the step for the reparameterization noise. */
  readonly seed: number;
  /** Global step index, from 0. */
  readonly step: number;
  /** For messages: epoch (from 1), batch (from 1) and batches per epoch. */
  readonly where: { readonly epoch: number; readonly batch: number; readonly batches: number };
}

/**
 * One Adam step on a batch, adding the batch's figures to `sums`. The figures are read back
 * asynchronously (`data()`): webgpu in Node has no synchronous read.
 * @param examples - the batch's inputs and labels (from a {@link BatchSource}); disposed here
 * @param ctx - model, optimizer, seed and position
 * @param sums - the epoch's sums (updated)
 * @returns the batch's loss and batch-mean KL in nats
 * @throws {@link NonFiniteLossError} naming the epoch and batch where the loss became NaN or infinite
 */
export async function trainStep(examples: { x: tf.Tensor; y: tf.Tensor; values?: tf.Tensor2D }, ctx: StepContext, sums: EpochSums): Promise<{ loss: number; klNats: number }> {
  const { vm } = ctx;
  const { x, y, values: targetValues } = examples;
  let stats: tf.Tensor | undefined;
  let exact = true;
  const cost = ctx.optimizer.minimize(
    () => {
      const f = forward(vm, x, y, { training: true, seed: stepSeed(ctx.seed, ctx.step), ...(targetValues === undefined ? {} : { values: targetValues }) });
      exact = f.encoded.kl.exact;
      const scores = vm.task.scoreSums(vm.task.logLikelihoods(f.raw, f.target), f.target, { samples: 1, prediction: () => vm.task.predict(f.raw) });
      const head = tf.concat([tf.stack([f.loss, f.taskLoss, f.encoded.klMean]), tf.slice(scores, [1])]);
      stats = tf.keep(f.encoded.klPerDim === null ? head : tf.concat([head, f.encoded.klPerDim]));
      return f.loss;
    },
    true,
    ctx.vars,
  );
  const values = Array.from(await (stats as tf.Tensor).data());
  tf.dispose([x, y, stats as tf.Tensor, cost as tf.Scalar, ...(targetValues === undefined ? [] : [targetValues])]);
  const [loss = NaN, taskLoss = NaN, kl = NaN] = values;
  const { epoch, batch, batches } = ctx.where;
  if (!Number.isFinite(loss)) {
    // the loss is the task loss plus the controller's rate term: with both of its inputs finite and far from
    // float32's overflow, the term is to blame
    const fromController = Math.abs(taskLoss) < 1e30 && Math.abs(kl) < 1e30;
    const advice = fromController
      ? `the task loss and the KL are finite, so the rate term of the controller "${vm.config.controller.name}" (its penalty) is not: check that controller`
      : 'lower the learning rate, check the inputs for NaN/Inf, or use the softplus scale';
    throw new NonFiniteLossError(`loss became ${loss} at epoch ${epoch}, batch ${batch} of ${batches} (task loss ${taskLoss}, KL ${kl} nats): ${advice}`, {
      details: { epoch, batch, loss, taskLoss, klNats: kl, ...(fromController ? { controller: vm.config.controller.name } : {}) },
    });
  }
  const n = x.shape[0] ?? 0;
  const m = vm.task.metricNames.length;
  sums.batches += 1;
  sums.examples += n;
  sums.loss += loss * n;
  sums.taskLoss += taskLoss * n;
  sums.kl += kl * n;
  sums.rateExact &&= exact;
  for (let i = 0; i < m; i++) sums.metrics[i] = (sums.metrics[i] ?? 0) + (values[3 + i] ?? 0);
  if (values.length > 3 + m) {
    const per = values.slice(3 + m);
    sums.klPerDim = sums.klPerDim === null ? per.map((v) => v * n) : sums.klPerDim.map((v, i) => v + (per[i] ?? 0) * n);
  }
  return { loss, klNats: kl };
}

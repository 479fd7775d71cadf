import * as tf from '@tensorflow/tfjs';
import { information, izyLowerBound, labelEntropy } from '@vib/core';
import { evaluate } from '../evaluate/evaluate.js';
import { buildVibModel } from '../model/build-vib-model.js';
import type { VibModel } from '../model/vib-model.js';
import { WeightAverage } from './ema.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { learningRateAt } from './learning-rate.js';
import { runEpoch, type EpochSums } from './run-epoch.js';
import { captureCheckpoint, restoreCheckpoint, type RunPosition } from './train-state.js';
import type { StopReason, TrainOptions, TrainResult } from './train-types.js';

function trainableVariables(vm: VibModel): tf.Variable[] {
  return vm.model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
}

function improved(value: number, best: number | null, mode: 'min' | 'max', minDelta: number): boolean {
  if (best === null) return true;
  return mode === 'min' ? value < best - minDelta : value > best + minDelta;
}

async function epochMetrics(
  options: TrainOptions,
  vm: VibModel,
  sums: EpochSums,
  learningRate: number,
  started: number,
  ema: WeightAverage | null,
  epoch: number,
): Promise<EpochMetrics> {
  const { config, dataset } = options;
  ema?.swap();
  const test = await evaluate(vm, dataset.test, { samples: 1, seed: config.seed + epoch });
  ema?.swap();
  const n = Math.max(sums.examples, 1);
  const classification = vm.task.kind === 'classification';
  const taskLoss = sums.taskLoss / n;
  const rate = information(sums.kl / n);
  const izy = classification
    ? izyLowerBound({ crossEntropyNats: taskLoss, labelEntropyNats: labelEntropy(dataset.train.y, dataset.numClasses).nats })
    : null;
  const controller = vm.bottleneck.controller;
  return {
    epoch,
    loss: sums.loss / n,
    taskLoss,
    trainAccuracy: classification ? sums.correct / n : null,
    testAccuracy: test.mean.accuracy,
    testLoss: test.mean.nllNats,
    reconstructionNats: classification ? null : test.mean.nllNats,
    rateNats: rate.nats,
    rateBits: rate.bits,
    izyNats: izy?.nats ?? null,
    izyBits: izy?.bits ?? null,
    beta: controller.beta,
    controllerState: controller.getState(),
    klPerDimNats: sums.klPerDim === null ? null : sums.klPerDim.map((v) => v / n),
    learningRate,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Train a VIB model: minimise E[−log q(y|z)] + rate term (β·KL for the fixed controller) with Adam.
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
  const { config, registry, dataset, callbacks, signal } = options;
  const vm = buildVibModel(config, registry, dataset);
  const vars = trainableVariables(vm);
  const optimizer = tf.train.adam(config.optimizer.learningRate);
  const ema = config.optimizer.ema === undefined ? null : new WeightAverage(vars, config.optimizer.ema.decay);
  let pos: RunPosition = { epoch: 0, step: 0, rngState: config.seed, history: [], best: null, wait: 0 };
  if (options.resumeFrom !== undefined) pos = await restoreCheckpoint(options.resumeFrom, vm, optimizer, ema);
  const batchesPerEpoch = Math.ceil(dataset.train.n / config.batchSize);
  const totalSteps = batchesPerEpoch * config.epochs;
  let stopReason: StopReason = 'completed';
  let checkpointed = true;
  while (pos.epoch < config.epochs) {
    if (signal?.aborted === true) {
      stopReason = 'aborted';
      break;
    }
    const started = performance.now();
    const lr = learningRateAt(config.optimizer, pos.epoch);
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    const sums = await runEpoch(dataset.train, config.batchSize, config.seed, {
      vm, optimizer, vars, ema, pos, totalSteps, callbacks, signal,
    });
    if (sums.aborted) {
      stopReason = 'aborted';
      checkpointed = false;
      break;
    }
    const metrics = await epochMetrics(options, vm, sums, lr, started, ema, pos.epoch + 1);
    pos.epoch += 1;
    pos.history.push(metrics);
    let stop = false;
    const es = config.earlyStopping;
    if (es !== undefined) {
      const value = metrics[es.monitor];
      if (typeof value === 'number' && improved(value, pos.best, es.mode, es.minDelta)) {
        pos.best = value;
        pos.wait = 0;
      } else if (++pos.wait >= es.patience) {
        stop = true;
        stopReason = 'early-stopping';
      }
    }
    const control = {
      stop: () => { stop = true; stopReason = 'callback'; },
      saveCheckpoint: () => captureCheckpoint(vm, optimizer, ema, pos),
    };
    if ((await callbacks?.onEpochEnd?.(metrics, control)) === false) {
      stop = true;
      stopReason = 'callback';
    }
    if (stop) break;
  }
  const checkpoint = checkpointed ? await captureCheckpoint(vm, optimizer, ema, pos) : null;
  if (ema !== null) {
    ema.swap();
    ema.dispose();
  }
  optimizer.dispose();
  const evaluation = await evaluate(vm, dataset.test, { samples: config.evalSamples, seed: config.seed });
  return { model: vm, history: pos.history, stopReason, checkpoint, evaluation };
}

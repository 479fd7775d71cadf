import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '@vib/core';
import type { VibModel } from '../model/vib-model.js';
import type { TrainCheckpoint } from './checkpoint.js';
import type { WeightAverage } from './ema.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { deserializeTensor, serializeTensor } from './serialized-tensor.js';

/** The mutable position of a run. */
export interface RunPosition {
  epoch: number;
  step: number;
  rngState: number;
  history: EpochMetrics[];
  best: number | null;
  wait: number;
}

/**
 * Capture a checkpoint.
 * @param vm - the model
 * @param optimizer - the optimizer
 * @param ema - the weight average, if any
 * @param pos - the run position
 * @returns the checkpoint
 */
export async function captureCheckpoint(
  vm: VibModel,
  optimizer: tf.Optimizer,
  ema: WeightAverage | null,
  pos: RunPosition,
): Promise<TrainCheckpoint> {
  const weights = await Promise.all(vm.model.getWeights().map((w, i) => serializeTensor(`w${i}`, w)));
  const opt = await optimizer.getWeights();
  const optimizerState = await Promise.all(opt.map((w) => serializeTensor(w.name, w.tensor)));
  return {
    format: 'vib-train-checkpoint',
    version: 1,
    config: vm.config,
    epoch: pos.epoch,
    step: pos.step,
    rngState: pos.rngState,
    weights,
    optimizer: optimizerState,
    ema: ema === null ? null : await ema.save(),
    controllerState: vm.bottleneck.controller.getState(),
    history: [...pos.history],
    earlyStopping: { best: pos.best, wait: pos.wait },
  };
}

/**
 * Restore a checkpoint into a freshly built model and optimizer.
 * @param cp - the checkpoint
 * @param vm - the model (same config)
 * @param optimizer - the optimizer
 * @param ema - the weight average, if the config keeps one
 * @returns the run position to continue from
 * @throws {@link CheckpointError} when the checkpoint does not match the model
 */
export async function restoreCheckpoint(
  cp: TrainCheckpoint,
  vm: VibModel,
  optimizer: tf.Optimizer,
  ema: WeightAverage | null,
): Promise<RunPosition> {
  if (cp?.format !== 'vib-train-checkpoint' || cp.version !== 1) {
    throw new CheckpointError(
      `resumeFrom is not a vib training checkpoint (format ${String(cp?.format)}, version ${String(cp?.version)}): pass what train() or saveCheckpoint() produced`,
    );
  }
  const current = vm.model.getWeights();
  const shapes = (ws: readonly { shape: readonly number[] }[]) => ws.map((w) => w.shape.join('x')).join(',');
  if (shapes(current) !== shapes(cp.weights)) {
    throw new CheckpointError(
      `checkpoint weights [${shapes(cp.weights)}] do not match the model [${shapes(current)}]: resume with the config the checkpoint was made with`,
    );
  }
  const ws = cp.weights.map(deserializeTensor);
  vm.model.setWeights(ws);
  tf.dispose(ws);
  if (cp.optimizer.length > 0) {
    const named = cp.optimizer.map((s) => ({ name: s.name, tensor: deserializeTensor(s) }));
    await optimizer.setWeights(named);
    tf.dispose(named.map((n) => n.tensor));
  }
  if (ema !== null && cp.ema !== null) ema.load(cp.ema);
  vm.bottleneck.controller.setState(cp.controllerState);
  return {
    epoch: cp.epoch,
    step: cp.step,
    rngState: cp.rngState,
    history: [...cp.history],
    best: cp.earlyStopping.best,
    wait: cp.earlyStopping.wait,
  };
}

import * as tf from '@tensorflow/tfjs';
import { CheckpointError, ConfigError } from '@vib/core';
import type { VibModel } from '../model/vib-model.js';
import type { EpochProgress, TrainCheckpoint } from './checkpoint.js';
import type { CheckpointOptions } from './trainer-types.js';
import { configDiff } from './config-diff.js';
import type { DataFingerprint } from './data-fingerprint.js';
import type { WeightAverage } from './ema.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { deserializeTensor, expectFiniteTensor, serializeAll, type TensorValues, type ValuesForm } from './serialized-tensor.js';

/** The mutable position of a run. */
export interface RunPosition {
  epoch: number;
  step: number;
  rngState: number;
  history: EpochMetrics[];
  best: number | null;
  wait: number;
  /** Progress inside the current epoch (null at an epoch boundary). */
  partial?: EpochProgress | null;
}

interface AdamInternals {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

/**
 * The form of a checkpoint's values that `trainer.checkpoint(options)` (or `train`'s `checkpoint` option, or a
 * callback's `saveCheckpoint(options)`) asked for, checked (options come from callers in plain JavaScript too).
 * @param options - the call's options
 * @param call - how the error names the call: `checkpoint`, `saveCheckpoint` or `train`
 * @returns `'json'` (the default) or `'typed'`
 * @throws {@link ConfigError} for anything else
 */
export function checkpointForm(options: CheckpointOptions | undefined, call: 'checkpoint' | 'saveCheckpoint' | 'train' = 'checkpoint'): ValuesForm {
  const field = call === 'train' ? 'checkpoint' : 'options';
  const shown = (o: unknown): string => (call === 'train' ? `train({ checkpoint: ${o} })` : `${call}(${o})`);
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new ConfigError(`${shown(JSON.stringify(options) ?? String(options))}: ${field} must be an object such as { values: 'typed' }, or nothing`, {
      details: { field },
    });
  }
  const values: unknown = options?.values;
  if (values === undefined || values === 'json' || values === 'typed') return values ?? 'json';
  throw new ConfigError(`${shown(`{ values: ${JSON.stringify(values) ?? String(values)} }`)}: values must be 'json' (plain arrays, the default) or 'typed' (Float32Array/Int32Array, for binary files)`, {
    details: { field: call === 'train' ? `${field}.values` : 'values' },
  });
}

/**
 * Capture a checkpoint.
 * @param vm - the model
 * @param optimizer - the optimizer
 * @param ema - the weight average, if any
 * @param pos - the run position
 * @param data - the fingerprint of the training data, kept so a resume on other data is refused
 * @param form - the form of the tensors' values: plain arrays (`'json'`, the default) or typed arrays (`'typed'`)
 * @returns the checkpoint
 */
export async function captureCheckpoint(
  vm: VibModel,
  optimizer: tf.Optimizer,
  ema: WeightAverage | null,
  pos: RunPosition,
  data?: DataFingerprint,
  form: ValuesForm = 'json',
): Promise<TrainCheckpoint<TensorValues>> {
  // one tensor at a time: the copy a backend reads out for one can be collected before the next one is read
  const weights = await serializeAll(vm.model.getWeights().map((w, i) => [`w${i}`, w]), form);
  const opt = await optimizer.getWeights();
  const optimizerState = await serializeAll(opt.map((w) => [w.name, w.tensor]), form);
  const adam = optimizer as unknown as AdamInternals;
  const adamPowers =
    adam.accBeta1 !== undefined && adam.accBeta2 !== undefined
      ? { beta1Power: (await adam.accBeta1.data())[0]!, beta2Power: (await adam.accBeta2.data())[0]! }
      : undefined;
  return {
    format: 'vib-train-checkpoint',
    version: 2,
    config: vm.config,
    epoch: pos.epoch,
    step: pos.step,
    rngState: pos.rngState,
    weights,
    optimizer: optimizerState,
    ...(adamPowers ? { adamPowers } : {}),
    epochProgress: pos.partial ? structuredClone(pos.partial) : null,
    ...(data ? { data } : {}),
    ema: ema === null ? null : await ema.save(form),
    controllerState: vm.bottleneck.saveControllerState(),
    history: [...pos.history],
    earlyStopping: { best: pos.best, wait: pos.wait },
  };
}

/**
 * Refuse a checkpoint that is not one, was written with another config or on other data, or holds a
 * value that is not a finite number (JSON writes NaN as null; it must not come back as 0).
 * @param cp - the checkpoint
 * @param vm - the freshly built model of the resuming run
 * @param data - the resuming run's data fingerprint, when known
 * @param allow - config fields allowed to differ (dotted paths or prefixes)
 * @throws {@link CheckpointError} naming the differing fields or the bad tensor
 */
export function checkCheckpoint(cp: TrainCheckpoint<TensorValues>, vm: VibModel, data?: DataFingerprint, allow: readonly string[] = []): void {
  if (cp?.format !== 'vib-train-checkpoint' || (cp.version !== 1 && cp.version !== 2)) {
    throw new CheckpointError(
      `resumeFrom is not a vib training checkpoint (format ${String(cp?.format)}, version ${String(cp?.version)}): pass what train() or saveCheckpoint() produced`,
      { details: { rule: 'format' } },
    );
  }
  const fields = configDiff(cp.config, vm.config).filter((f) => !allow.some((a) => f === a || f.startsWith(`${a}.`)));
  if (fields.length > 0) {
    const show = (v: unknown) => JSON.stringify(v) ?? 'unset';
    const at = (o: unknown, path: string) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
    const list = fields.map((f) => `${f} (checkpoint ${show(at(cp.config, f))}, now ${show(at(vm.config, f))})`).join(', ');
    throw new CheckpointError(`the checkpoint was written with another config: ${list}; resume with the checkpoint's config or start a new run`, {
      details: { rule: 'config', fields },
    });
  }
  if (data !== undefined && cp.data !== undefined) {
    const fields = configDiff(cp.data, data);
    if (fields.length > 0) {
      throw new CheckpointError(
        `the checkpoint was trained on other data (${fields.map((f) => `${f}: checkpoint ${JSON.stringify((cp.data as unknown as Record<string, unknown>)[f])}, now ${JSON.stringify((data as unknown as Record<string, unknown>)[f])}`).join('; ')}): resume with the same data and --max-train/--max-test`,
        { details: { rule: 'data', fields } },
      );
    }
  }
  for (const t of [...cp.weights, ...cp.optimizer, ...(cp.ema ?? [])]) expectFiniteTensor(t);
  const scalars: [string, unknown][] = [
    ['epoch', cp.epoch], ['step', cp.step], ['rngState', cp.rngState],
    ...Object.entries(cp.controllerState).map(([k, v]) => [`controllerState.${k}`, v] as [string, unknown]),
    ...(cp.adamPowers ? Object.entries(cp.adamPowers).map(([k, v]) => [`adamPowers.${k}`, v] as [string, unknown]) : []),
  ];
  for (const [name, v] of scalars) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new CheckpointError(`checkpoint field ${name} is ${JSON.stringify(v)}, not a finite number: the checkpoint is corrupted; resume from an earlier one`, {
        details: { rule: 'finite', field: name },
      });
    }
  }
}

/**
 * Restore a checkpoint into a freshly built model and optimizer, after {@link checkCheckpoint}.
 * @param cp - the checkpoint
 * @param vm - the model (same config)
 * @param optimizer - the optimizer
 * @param ema - the weight average, if the config keeps one
 * @param data - the resuming run's data fingerprint, when known
 * @param allow - config fields allowed to differ
 * @returns the run position to continue from
 * @throws {@link CheckpointError} when the checkpoint does not match the model, the config or the data
 */
export async function restoreCheckpoint(
  cp: TrainCheckpoint<TensorValues>,
  vm: VibModel,
  optimizer: tf.Optimizer,
  ema: WeightAverage | null,
  data?: DataFingerprint,
  allow: readonly string[] = [],
): Promise<RunPosition> {
  checkCheckpoint(cp, vm, data, allow);
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
  const adam = optimizer as unknown as AdamInternals;
  if (cp.adamPowers && adam.accBeta1 && adam.accBeta2) {
    adam.accBeta1.assign(tf.scalar(cp.adamPowers.beta1Power));
    adam.accBeta2.assign(tf.scalar(cp.adamPowers.beta2Power));
  }
  if (ema !== null && cp.ema !== null) ema.load(cp.ema);
  vm.bottleneck.restoreControllerState(cp.controllerState, "the checkpoint's controller state");
  return {
    epoch: cp.epoch,
    step: cp.step,
    rngState: cp.rngState,
    history: [...cp.history],
    best: cp.earlyStopping.best,
    wait: cp.earlyStopping.wait,
    partial: cp.epochProgress ? structuredClone(cp.epochProgress) : null,
  };
}

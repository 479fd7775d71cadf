import * as tf from '@tensorflow/tfjs';
import { CheckpointError, ConfigError, expectCreated, resolvePluginRef, VibError } from '@vib/core';
import type { Registry } from '@vib/core';
import { VIBBottleneck, withRegistry } from '@vib/layers';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { guardedIO } from '../io/guarded-io.js';
import { checkedHttpIO } from '../io/http-io.js';
import { TASK_INSTANCE_SHAPE, type Task } from '../tasks/task-plugin.js';
import type { VibModel } from './vib-model.js';
import { applyLayers } from './forward.js';

/** The sidecar kept in model.json's `userDefinedMetadata.vib`. */
export interface VibModelMetadata {
  /** Marks the sidecar as vib's; {@link loadVibModel} refuses a model without it. */
  readonly format: 'vib-model';
  /** Version of this sidecar's layout (1). */
  readonly version: 1;
  /** The experiment config the model was built and trained with (prior r(z), controller, task names and configs). */
  readonly config: ExperimentConfig;
  /**
   * The rate controller's state, as models saved before 0.2 wrote it here too (ignored on load). Its one
   * place is the bottleneck layer's own config (`VIBBottleneck.getConfig`).
   * @deprecated not written any more
   */
  readonly controllerState?: Record<string, number>;
  /** Shape of one input, without the batch dimension, e.g. [28, 28]. */
  readonly inputShape: number[];
  /** Number of classes of the dataset the model was trained on. */
  readonly numClasses: number;
  /** Whether the training inputs lay in [0, 1] (a Bernoulli likelihood needs it). */
  readonly inputsInUnitInterval: boolean;
  /** How many layers after the bottleneck form the decoder q(y|z); a prediction layer (softmax, sigmoid), if the task has one, follows them. */
  readonly decoderLayers: number;
  /** How the training inputs were preprocessed (the dataset's record, e.g. `'uint8 pixels / 255'`), when known. */
  readonly preprocessing?: string;
  /** Width of the real-valued targets, for models of regression datasets. */
  readonly targetSize?: number;
}

/**
 * Save a VIB model in the TensorFlow.js format, with a sidecar (in model.json's
 * `userDefinedMetadata.vib`) holding the experiment config. Prior weights are layer weights; the
 * controller state (β, C, ...) is in the bottleneck's layer config.
 * @param vm - the model
 * @param io - a tfjs IOHandler or URL (`indexeddb://...`, `downloads://...`; in Node use `fileSystemIO(dir)` from `@vib/tasks/node`)
 * @returns the tfjs save result
 * @example
 * ```ts
 * await saveVibModel(vm, 'indexeddb://my-vib');
 * ```
 */
export async function saveVibModel(vm: VibModel, io: string | tf.io.IOHandler): Promise<tf.io.SaveResult> {
  const metadata: VibModelMetadata = {
    format: 'vib-model',
    version: 1,
    config: vm.config,
    inputShape: [...vm.inputShape],
    numClasses: vm.numClasses,
    inputsInUnitInterval: vm.inputsInUnitInterval,
    decoderLayers: vm.decoderLayers.length,
    ...(vm.preprocessing !== undefined ? { preprocessing: vm.preprocessing } : {}),
    ...(vm.targetSize === undefined ? {} : { targetSize: vm.targetSize }),
  };
  vm.model.setUserDefinedMetadata({ vib: metadata });
  return vm.model.save(io);
}

/**
 * Load a model saved by {@link saveVibModel}. The registry resolves the prior, controller and task
 * names; it is in scope only while this load runs (no global state to set).
 * @param io - a tfjs IOHandler or URL (in Node use `fileSystemIO(dir)` from `@vib/tasks/node`)
 * @param options - `{ registry }`
 * @returns the model with its parts, config, prior weights and controller state
 * @throws {@link CheckpointError} when the saved model has no vib sidecar or no bottleneck layer
 * @throws {@link NoSuchPluginError} when a saved plugin name is not in the registry
 * @example
 * ```ts
 * const vm = await loadVibModel('https://example.org/vib/model.json', { registry });
 * ```
 */
export async function loadVibModel(io: string | tf.io.IOHandler, options: { registry: Registry }): Promise<VibModel> {
  const { registry } = options;
  // a URL tfjs has a router for (indexeddb://, localstorage://) keeps it, checked after loading; any
  // other string is fetched over HTTP (absolute, or relative to the page as tfjs does) with checkedHttpIO
  const routed = typeof io === 'string' && !/^https?:\/\//i.test(io) && tf.io.getLoadHandlers(io).length > 0;
  // Node has no page to resolve a relative URL against: a path there is a folder, which needs the file-system IO
  const inNode = typeof window === 'undefined' && typeof process !== 'undefined' && process.versions?.node !== undefined;
  if (typeof io === 'string' && !routed && inNode && !/^https?:\/\//i.test(io)) {
    throw new ConfigError(
      `"${io}" is not an http(s) URL, and in Node a model folder is read through the file system: load it with loadVibModel(fileSystemIO(${JSON.stringify(io)}), { registry }), fileSystemIO from '@vib/tasks/node'`,
      { details: { field: 'io', value: io } },
    );
  }
  const handler = guardedIO(typeof io === 'string' && !routed ? checkedHttpIO(io) : io);
  let model: tf.LayersModel;
  try {
    model = await withRegistry(registry, () => tf.loadLayersModel(handler));
  } catch (e) {
    if (VibError.isInstance(e)) throw e;
    const where = typeof io === 'string' ? io : 'the model';
    throw new CheckpointError(`${where}: the weights do not fit the model's layers (${(e as Error).message.split('\n')[0]}): the model files are corrupted or from different models`, {
      cause: e,
      details: { rule: 'topology' },
    });
  }
  const meta = (model.getUserDefinedMetadata() as { vib?: VibModelMetadata } | undefined)?.vib;
  if (meta?.format !== 'vib-model') {
    throw new CheckpointError('the saved model has no vib sidecar (userDefinedMetadata.vib): save it with saveVibModel');
  }
  checkSidecar(meta);
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const at = layers.findIndex((l) => l.getClassName() === VIBBottleneck.className);
  if (at < 0) throw new CheckpointError('the saved model has no vib.VIBBottleneck layer: save it with saveVibModel');
  const bottleneck = layers[at] as VIBBottleneck; // its controller state came back with its layer config
  if (bottleneck.latentDim !== meta.config.latentDim || bottleneck.priorPlugin.name !== meta.config.prior.name) {
    throw edited(`its sidecar says K = ${meta.config.latentDim} with the prior "${meta.config.prior.name}", its bottleneck layer K = ${bottleneck.latentDim} with "${bottleneck.priorPlugin.name}"`);
  }
  if (at + 1 + meta.decoderLayers > layers.length) throw edited(`its sidecar says ${meta.decoderLayers} decoder layers, and ${layers.length - at - 1} follow the bottleneck`);
  checkFiniteWeights(model);
  const encoderLayers = layers.slice(0, at);
  bottleneck.attachEncoder((x) => applyLayers(encoderLayers, x));
  const taskPlugin = registry.get('task', meta.config.task.name);
  // the sidecar is read from a file: the task's config is parsed here, once, by its registry entry
  const task = expectCreated<Task>('task', taskPlugin.name, taskPlugin.create(resolvePluginRef(registry, 'task', meta.config.task, 'task').config, {
    inputShape: meta.inputShape,
    numClasses: meta.numClasses,
    latentDim: meta.config.latentDim,
    inputsInUnitInterval: meta.inputsInUnitInterval,
    ...(meta.targetSize === undefined ? {} : { targetSize: meta.targetSize }),
  }), TASK_INSTANCE_SHAPE);
  const decoderLayers = layers.slice(at + 1, at + 1 + meta.decoderLayers);
  checkDecoderFitsTask(task, decoderLayers, meta);
  return {
    model,
    encoderLayers,
    bottleneck,
    decoderLayers,
    task,
    config: meta.config,
    inputShape: meta.inputShape,
    numClasses: meta.numClasses,
    inputsInUnitInterval: meta.inputsInUnitInterval,
    ...(typeof meta.preprocessing === 'string' ? { preprocessing: meta.preprocessing } : {}),
    ...(meta.targetSize === undefined ? {} : { targetSize: meta.targetSize }),
  };
}

/** The error for a model.json whose parts disagree: edited by hand, or put together from two models. */
function edited(what: string): CheckpointError {
  return new CheckpointError(`the saved model does not hold together: ${what}: the model.json was edited or comes from two models; save the model again with saveVibModel`, {
    details: { rule: 'sidecar' },
  });
}

const isCount = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;

/**
 * Check the sidecar's fields before anything is built from them: it is read from a file.
 * @param meta - the sidecar, format already checked
 * @throws {@link CheckpointError} naming the first field that is not what {@link saveVibModel} writes
 */
function checkSidecar(meta: VibModelMetadata): void {
  const m = meta as unknown as Record<string, unknown>;
  if (m['version'] !== 1) {
    throw new CheckpointError(`the saved model's vib sidecar is version ${JSON.stringify(m['version'])}; this @vib/tasks reads version 1: load it with the version of vib that saved it`, {
      details: { rule: 'version', version: m['version'] },
    });
  }
  const config = m['config'] as Record<string, unknown> | null | undefined;
  const prior = (config?.['prior'] ?? null) as { name?: unknown } | null;
  const task = (config?.['task'] ?? null) as { name?: unknown } | null;
  const problems = [
    ...(typeof config !== 'object' || config === null ? ['config is not an object'] : []),
    ...(typeof prior?.name !== 'string' ? ['config.prior.name is not a string'] : []),
    ...(typeof task?.name !== 'string' ? ['config.task.name is not a string'] : []),
    ...(!isCount(config?.['latentDim'], 1) ? ['config.latentDim is not a positive integer'] : []),
    ...(!Array.isArray(m['inputShape']) || !(m['inputShape'] as unknown[]).every((d) => isCount(d, 1)) ? ['inputShape is not a list of positive integers'] : []),
    ...(!isCount(m['numClasses'], 0) ? ['numClasses is not an integer ≥ 0'] : []),
    ...(!isCount(m['decoderLayers'], 0) ? ['decoderLayers is not an integer ≥ 0'] : []),
    ...(typeof m['inputsInUnitInterval'] !== 'boolean' ? ['inputsInUnitInterval is not true or false'] : []),
    ...(m['targetSize'] !== undefined && !isCount(m['targetSize'], 1) ? ['targetSize is not a positive integer'] : []),
  ];
  if (problems.length > 0) throw edited(`in its vib sidecar ${problems.join(', ')}`);
}

/**
 * Refuse weights that hold NaN or ±∞: no training vib runs keeps them (a NaN loss stops it), so they are a
 * damaged weights file.
 * @param model - the loaded model
 * @throws {@link CheckpointError} naming the weight and the index
 */
function checkFiniteWeights(model: tf.LayersModel): void {
  for (const w of model.weights) {
    const values = w.read().dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v - v !== 0) {
        // the name in the weights manifest (tfjs suffixes a variable's own name when it is taken in the process)
        const name = w.originalName;
        throw new CheckpointError(`the saved model's weight ${name} holds ${v} at index ${i}: the weights file is damaged; save or download the model again`, {
          details: { rule: 'finite', weight: name, index: i },
        });
      }
    }
  }
}

/**
 * Check that the saved decoder gives what the sidecar's task expects: the width of the task's own decoder
 * built for the sidecar's classes and shapes (a model.json saying 3 classes over a 10-way decoder fails here,
 * not at the first prediction).
 * @param task - the task created from the sidecar
 * @param decoderLayers - the saved decoder layers
 * @param meta - the sidecar
 */
function checkDecoderFitsTask(task: Task, decoderLayers: readonly tf.layers.Layer[], meta: VibModelMetadata): void {
  const last = decoderLayers[decoderLayers.length - 1];
  if (last === undefined) return;
  const fresh = task.decoderLayers();
  let shape: tf.Shape | tf.Shape[] = [null, meta.config.latentDim];
  for (const l of fresh) shape = l.computeOutputShape(shape);
  const saved = JSON.stringify(last.outputShape);
  if (JSON.stringify(shape) !== saved) {
    throw edited(`the task "${task.name}" with its sidecar's ${meta.numClasses} classes and input shape [${meta.inputShape.join(', ')}] decodes to ${JSON.stringify(shape)}, the saved decoder to ${saved}`);
  }
}

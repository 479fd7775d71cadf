import * as tf from '@tensorflow/tfjs';
import { CheckpointError, resolvePluginRef, VibError } from '@vib/core';
import type { Registry } from '@vib/core';
import { VIBBottleneck, withRegistry } from '@vib/layers';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { guardedIO } from '../io/guarded-io.js';
import { checkedHttpIO } from '../io/http-io.js';
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
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const at = layers.findIndex((l) => l.getClassName() === VIBBottleneck.className);
  if (at < 0) throw new CheckpointError('the saved model has no vib.VIBBottleneck layer: save it with saveVibModel');
  const bottleneck = layers[at] as VIBBottleneck; // its controller state came back with its layer config
  const encoderLayers = layers.slice(0, at);
  bottleneck.attachEncoder((x) => applyLayers(encoderLayers, x));
  const taskPlugin = registry.get('task', meta.config.task.name);
  // the sidecar is read from a file: the task's config is parsed here, once, by its registry entry
  const task = taskPlugin.create(resolvePluginRef(registry, 'task', meta.config.task, 'task').config, {
    inputShape: meta.inputShape,
    numClasses: meta.numClasses,
    latentDim: meta.config.latentDim,
    inputsInUnitInterval: meta.inputsInUnitInterval,
    ...(meta.targetSize === undefined ? {} : { targetSize: meta.targetSize }),
  });
  return {
    model,
    encoderLayers,
    bottleneck,
    decoderLayers: layers.slice(at + 1, at + 1 + meta.decoderLayers),
    task,
    config: meta.config,
    inputShape: meta.inputShape,
    numClasses: meta.numClasses,
    inputsInUnitInterval: meta.inputsInUnitInterval,
    ...(typeof meta.preprocessing === 'string' ? { preprocessing: meta.preprocessing } : {}),
    ...(meta.targetSize === undefined ? {} : { targetSize: meta.targetSize }),
  };
}

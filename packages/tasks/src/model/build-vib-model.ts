import * as tf from '@tensorflow/tfjs';
import { expectCreated, type Registry } from '@vib/core';
import { VIBBottleneck } from '@vib/layers';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { hiddenKernelInitializer } from './hidden-initializer.js';
import type { VibModel } from './vib-model.js';
import { TASK_INSTANCE_SHAPE, type Task } from '../tasks/task-plugin.js';
import { applyLayers } from './forward.js';

/** Shapes a model is built for (from the dataset). */
export interface ModelShapes {
  /** Shape of one input. */
  readonly inputShape: readonly number[];
  /** Number of classes of the labels. */
  readonly numClasses: number;
  /** Whether inputs lie in [0, 1] (default true). */
  readonly inputsInUnitInterval?: boolean;
  /** How the inputs were preprocessed (the dataset's record), kept in the saved model. */
  readonly preprocessing?: string;
  /** Width of the real-valued targets (regression datasets). */
  readonly targetSize?: number;
}

/** Facts about the training run the model is built for (none when building for inference). */
export interface ModelRunContext {
  /** Optimizer steps per epoch, passed to the rate controller's context. */
  readonly stepsPerEpoch?: number;
}

/**
 * Build a VIB model from a validated experiment config: encoder MLP, {@link VIBBottleneck}, and the
 * task's decoder; all weight initializers are seeded from `config.seed`, so a seed fixes the model.
 * @param config - a config from `parseExperimentConfig` (parsed there, once; not validated again here)
 * @param registry - resolves the prior, controller and task
 * @param shapes - input shape and number of classes
 * @param run - the training run's steps per epoch, for the controller's context
 * @returns the model and its parts
 * @throws {@link NoSuchPluginError} for unknown plugin names
 * @throws {@link ConfigError} for plugin configs that do not fit
 * @example
 * ```ts
 * const vm = buildVibModel(config, registry, { inputShape: [28, 28], numClasses: 10 });
 * vm.model.predict(tf.zeros([1, 28, 28])); // [1, 10] class probabilities
 * ```
 */
export function buildVibModel(config: ExperimentConfig, registry: Registry, shapes: ModelShapes, run: ModelRunContext = {}): VibModel {
  const inputsInUnitInterval = shapes.inputsInUnitInterval ?? true;
  const seed = config.seed;
  const taskPlugin = registry.get('task', config.task.name);
  // the config was parsed once, by parseExperimentConfig: every part below takes its slice as is
  const task = expectCreated<Task>('task', taskPlugin.name, taskPlugin.create(config.task.config, {
    inputShape: shapes.inputShape,
    numClasses: shapes.numClasses,
    latentDim: config.latentDim,
    inputsInUnitInterval,
    seed: seed + 1000,
    ...(shapes.targetSize === undefined ? {} : { targetSize: shapes.targetSize }),
  }), TASK_INSTANCE_SHAPE);
  const input = tf.input({ shape: [...shapes.inputShape] });
  const encoderLayers: tf.layers.Layer[] = [];
  if (shapes.inputShape.length > 1) encoderLayers.push(tf.layers.flatten());
  config.encoder.hidden.forEach((units, i) => {
    encoderLayers.push(
      tf.layers.dense({
        units,
        activation: config.encoder.activation,
        kernelInitializer: hiddenKernelInitializer(config.encoder.activation, seed + i),
      }),
    );
  });
  // a prior built from the encoder (VampPrior) needs the input's shape when the layer is built
  const needsEncoder = registry.get('prior', config.prior.name).needsEncoder === true;
  const bottleneck = new VIBBottleneck({
    registry,
    config: {
      latentDim: config.latentDim,
      posterior: config.posterior,
      scale: config.scale,
      prior: config.prior,
      controller: config.controller,
      inference: config.inference,
      klSamples: config.klSamples,
      deterministic: config.model === 'deterministic',
      seed: seed + 500,
      ...(needsEncoder ? { encoderInput: { shape: [...shapes.inputShape], unitInterval: inputsInUnitInterval } } : {}),
    },
    ...(run.stepsPerEpoch === undefined ? {} : { stepsPerEpoch: run.stepsPerEpoch }),
  });
  const decoderLayers = task.decoderLayers();
  const prediction = task.predictionLayer();
  let t: tf.SymbolicTensor = input;
  for (const layer of [...encoderLayers, bottleneck, ...decoderLayers, ...(prediction ? [prediction] : [])]) {
    t = layer.apply(t) as tf.SymbolicTensor;
  }
  bottleneck.attachEncoder((x) => applyLayers(encoderLayers, x));
  const model = tf.model({ inputs: input, outputs: t });
  return {
    model,
    encoderLayers,
    bottleneck,
    decoderLayers,
    task,
    config,
    inputShape: [...shapes.inputShape],
    numClasses: shapes.numClasses,
    inputsInUnitInterval,
    ...(shapes.preprocessing !== undefined ? { preprocessing: shapes.preprocessing } : {}),
    ...(shapes.targetSize === undefined ? {} : { targetSize: shapes.targetSize }),
  };
}

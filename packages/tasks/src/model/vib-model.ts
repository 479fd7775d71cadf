import type * as tf from '@tensorflow/tfjs';
import type { VIBBottleneck } from '@vib/layers';
import type { ExperimentConfig } from '../config/experiment-config.js';
import type { Task } from '../tasks/task-plugin.js';

/**
 * A VIB model: the saved inference model and its parts, for training and evaluation.
 *
 * `model` maps x [B, ...inputShape] through the encoder, the bottleneck (mean code, or one sample
 * in `sample` mode) and the decoder to the prediction (class probabilities, or the reconstruction
 * [B,D]). The parts share their weights with `model`.
 */
export interface VibModel {
  /** The whole inference model (what is saved). */
  readonly model: tf.LayersModel;
  /** x → h: flatten (for inputs of rank > 1) and the hidden Dense layers. */
  readonly encoderLayers: readonly tf.layers.Layer[];
  /** h → p(z|x), z, KL and the rate term. */
  readonly bottleneck: VIBBottleneck;
  /** z → the decoder's raw output (logits or mean). */
  readonly decoderLayers: readonly tf.layers.Layer[];
  /** The task (decoder likelihood). */
  readonly task: Task;
  /** The experiment config the model was built from. */
  readonly config: ExperimentConfig;
  /** Shape of one input. */
  readonly inputShape: readonly number[];
  /** Number of classes. */
  readonly numClasses: number;
  /** Whether inputs lie in [0, 1]. */
  readonly inputsInUnitInterval: boolean;
  /** How the training inputs were preprocessed (the dataset's record), when known. */
  readonly preprocessing?: string;
  /** Width of the real-valued targets, for models of regression datasets. */
  readonly targetSize?: number;
}

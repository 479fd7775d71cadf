import * as tf from '@tensorflow/tfjs';
import { ShapeError, VibError } from '@vib/core';
import { applyLayer, type BottleneckOutput } from '@vib/layers';
import type { VibModel } from './vib-model.js';

/**
 * Apply layers in order to a concrete tensor (dense layers through `@vib/layers`' `applyLayer`: one node of the
 * gradient tape each where the backend has a fused dense kernel).
 * @param layers - the layers
 * @param x - input
 * @returns the last layer's output
 */
export function applyLayers(layers: readonly tf.layers.Layer[], x: tf.Tensor): tf.Tensor {
  let h = x;
  for (const layer of layers) h = applyLayer(layer, h);
  return h;
}

/**
 * Run the encoder layers: x → h.
 * @param vm - the model
 * @param x - inputs [B, ...inputShape]
 * @returns h [B,H]
 */
export function hidden(vm: VibModel, x: tf.Tensor): tf.Tensor {
  return applyLayers(vm.encoderLayers, x);
}

/**
 * Run the decoder layers on codes of shape [B,K] or [S,B,K] (flattened through the layers).
 * @param vm - the model
 * @param z - codes
 * @returns the decoder's raw output [B,O] or [S,B,O]
 */
export function decode(vm: VibModel, z: tf.Tensor): tf.Tensor {
  const k = z.shape[z.rank - 1] ?? 1;
  const lead = z.shape.slice(0, -1);
  let out = z.rank === 2 ? z : tf.reshape(z, [-1, k]);
  for (const layer of vm.decoderLayers) out = applyLayer(layer, out);
  if (z.rank === 2) return out;
  return tf.reshape(out, [...lead, out.shape[out.rank - 1] ?? 1]);
}

/** One forward pass of the training objective. */
export interface ForwardResult {
  /** The bottleneck's output (posterior, z, KL, rate term). */
  readonly encoded: BottleneckOutput;
  /** The decoder's raw output [B,O]. */
  readonly raw: tf.Tensor;
  /** The task's target for the batch (labels, or the flattened inputs). */
  readonly target: tf.Tensor;
  /** −log q(y|z) per example, nats [B]. */
  readonly nll: tf.Tensor;
  /** Batch-mean task loss, nats. */
  readonly taskLoss: tf.Scalar;
  /** taskLoss + rate term. */
  readonly loss: tf.Scalar;
}

/**
 * Run one of a task's methods on the decoder's output and the targets, naming the task and both shapes where it
 * throws: a decoder whose width does not fit the targets otherwise fails inside tfjs ("Operands could not be
 * broadcast together with shapes 50,2 and 50,3"), with nothing to say which plugin or what to change.
 * @param vm - the model
 * @param method - the method's name, for the message
 * @param raw - the decoder's output
 * @param target - the targets
 * @param call - the call
 * @returns what it returned
 * @throws {@link ShapeError} wrapping a tfjs error, naming the task, the shapes and what to check
 */
export function taskCall(vm: VibModel, method: string, raw: tf.Tensor, target: tf.Tensor, call: () => tf.Tensor): tf.Tensor {
  try {
    return call();
  } catch (cause) {
    if (VibError.isInstance(cause)) throw cause;
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new ShapeError(
      `task "${vm.task.name}": ${method}(raw [${raw.shape.join(', ')}], target [${target.shape.join(', ')}]) failed (${why}): ` +
        'check that the decoder\'s output width (its last layer\'s units) fits the targets the task builds',
      { cause, details: { task: vm.task.name, method, raw: raw.shape, target: target.shape } },
    );
  }
}

/**
 * The VIB objective for a batch: E[−log q(y|z)] + rate term, with z = μ + σ·ε when training.
 * @param vm - the model
 * @param x - inputs [B, ...inputShape]
 * @param y - int32 labels [B]
 * @param options - `training` samples z; `seed` makes the draw reproducible; `values`: real-valued targets [B,T]
 * @returns the pieces of the loss (tensors belong to the caller)
 */
export function forward(
  vm: VibModel,
  x: tf.Tensor,
  y: tf.Tensor,
  options: { training: boolean; seed?: number; values?: tf.Tensor },
): ForwardResult {
  const encoded = vm.bottleneck.encode(hidden(vm, x), options);
  const raw = decode(vm, encoded.z);
  const target = vm.task.targets(x, y, options.values);
  const nll = taskCall(vm, 'negLogLikelihood', raw, target, () => vm.task.negLogLikelihood(raw, target));
  // one value per code: a [B, 1] or a scalar would broadcast into the mean and the I(Z;Y) bound, silently
  const want = encoded.z.shape.slice(0, -1);
  if (!tf.util.arraysEqual(nll.shape, want)) {
    const shape = nll.shape;
    throw new ShapeError(`task "${vm.task.name}": negLogLikelihood returned shape [${shape.join(', ')}] for codes of shape [${encoded.z.shape.join(', ')}]: it must return one value per code, [${want.join(', ')}]`, {
      details: { task: vm.task.name, shape, expected: want },
    });
  }
  const taskLoss = tf.mean(nll) as tf.Scalar;
  return { encoded, raw, target, nll, taskLoss, loss: tf.add(taskLoss, encoded.rate) };
}

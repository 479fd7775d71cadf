import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '@vib/core';
import { gatherBatch } from '../evaluate/split-batches.js';

/** Where the training loop gets its batches: the examples `order[start:end]` of the epoch's order. */
export interface BatchSource {
  /** True when the split lives on the backend and batches are gathered there. */
  readonly resident: boolean;
  /** Start an epoch with this order of example indices. */
  beginEpoch(order: Int32Array): void;
  /**
   * The batch of examples `order[start:end]`; the caller disposes the tensors.
   * @param start - first position in the epoch's order
   * @param end - one past the last
   */
  batch(start: number, end: number): { x: tf.Tensor; y: tf.Tensor1D; values?: tf.Tensor2D };
  /** Free what the source holds on the backend. */
  dispose(): void;
}

/** Backends whose memory is not the JavaScript heap, so that a per-batch upload costs a transfer. */
export const DEVICE_BACKENDS: readonly string[] = ['webgpu', 'webgl', 'tensorflow'];

/** Copy each batch from the split's arrays into new tensors (one upload per batch). */
function hostSource(split: DataSplit, inputShape: readonly number[]): BatchSource {
  let order: Int32Array = new Int32Array(0);
  return {
    resident: false,
    beginEpoch: (o) => (order = o),
    batch: (start, end) => gatherBatch(split, inputShape, order.subarray(start, end)),
    dispose: () => undefined,
  };
}

/** Upload the split once and the epoch's order once per epoch; each batch is a slice and a gather on the device. */
function residentSource(split: DataSplit, inputShape: readonly number[]): BatchSource {
  const d = inputShape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(split.x.subarray(0, split.n * d), [split.n, ...inputShape]);
  const y = tf.tensor1d(split.y.subarray(0, split.n), 'int32');
  const t = split.targets === undefined ? 0 : split.targets.length / Math.max(split.n, 1);
  const values = split.targets === undefined ? null : tf.tensor2d(split.targets.subarray(0, split.n * t), [split.n, t]);
  let order: tf.Tensor1D | null = null;
  return {
    resident: true,
    beginEpoch(o) {
      order?.dispose();
      order = tf.tensor1d(o, 'int32');
    },
    batch(start, end) {
      return tf.tidy(() => {
        const idx = tf.slice(order as tf.Tensor1D, [start], [end - start]);
        const xy = { x: tf.gather(x, idx), y: tf.gather(y, idx) };
        return values === null ? xy : { ...xy, values: tf.gather(values, idx) as tf.Tensor2D };
      });
    },
    dispose() {
      order?.dispose();
      tf.dispose([x, y, ...(values === null ? [] : [values])]);
    },
  };
}

/**
 * The batch source for a training split: on a GPU backend (webgpu, webgl, tfjs-node) the split stays on the
 * device for the whole run and batches are gathered there, with no upload per batch; on the cpu and wasm
 * backends, whose tensors live in host memory anyway, each batch is copied from the split's arrays.
 * Both give the same batches for the same order.
 * @param split - the training data
 * @param inputShape - shape of one input
 * @param resident - keep the split on the device (default: when the active backend is one of {@link DEVICE_BACKENDS})
 * @returns the source; dispose it after training
 */
export function batchSource(split: DataSplit, inputShape: readonly number[], resident = DEVICE_BACKENDS.includes(tf.getBackend())): BatchSource {
  return resident ? residentSource(split, inputShape) : hostSource(split, inputShape);
}

import * as tf from '@tensorflow/tfjs';
import type { ActivationMatrix, DataSplit } from '@vib/core';
import type { VibModel } from '../model/vib-model.js';
import { checkedRows } from '../evaluate/split-batches.js';

/** One layer's recorded activations. */
export interface LayerActivations {
  /** `layer i (width)` for hidden layers, `Z mean (K)` for the code. */
  readonly name: string;
  /** `hidden` for an encoder layer with weights, `code` for the mean code of the bottleneck. */
  readonly role: 'hidden' | 'code';
  /** The activations T [n, d]. */
  readonly t: ActivationMatrix;
}

/**
 * The activations of each hidden layer (every encoder layer with weights) and of the mean code,
 * for the first `n` examples of a split.
 * @param vm - the model, with the weights to inspect
 * @param split - the data
 * @param n - examples to use
 * @returns one activation matrix per layer, with its name and role (the information plane's layers T)
 * @example
 * ```ts
 * const layers = layerActivations(vm, dataset.test, 1000);
 * estimateInformation(registry, 'binning', { activations: layers[0]!.t, labels: dataset.test.y });
 * ```
 */
export function layerActivations(vm: VibModel, split: DataSplit, n: number): LayerActivations[] {
  const { rows, layers } = activationTensors(vm, split, n);
  try {
    return layers.map(({ name, role, h }) => ({ name, role, t: { data: h.dataSync() as Float32Array, n: rows, d: h.shape[1] ?? 1 } }));
  } finally {
    tf.dispose(layers.map((l) => l.h));
  }
}

/**
 * {@link layerActivations} with an asynchronous read: what a GPU backend needs (webgpu in Node has no synchronous read).
 * @param vm - the model, with the weights to inspect
 * @param split - the data
 * @param n - examples to use
 * @returns one activation matrix per layer, with its name and role
 */
export async function layerActivationsAsync(vm: VibModel, split: DataSplit, n: number): Promise<LayerActivations[]> {
  const { rows, layers } = activationTensors(vm, split, n);
  try {
    return await Promise.all(layers.map(async ({ name, role, h }) => ({ name, role, t: { data: (await h.data()) as Float32Array, n: rows, d: h.shape[1] ?? 1 } })));
  } finally {
    tf.dispose(layers.map((l) => l.h));
  }
}

/** Each hidden layer's activations and the mean code, as tensors the caller reads and disposes. */
function activationTensors(vm: VibModel, split: DataSplit, n: number) {
  const rows = checkedRows(vm, split, n, 'layerActivations()');
  const per = split.x.length / split.n;
  const layers: { name: string; role: LayerActivations['role']; h: tf.Tensor }[] = [];
  tf.tidy(() => {
    let h: tf.Tensor = tf.tensor(split.x.subarray(0, rows * per), [rows, ...vm.inputShape]);
    let k = 0;
    for (const layer of vm.encoderLayers) {
      h = layer.apply(h) as tf.Tensor;
      if (layer.getWeights().length > 0) {
        k += 1;
        layers.push({ name: `layer ${k} (${h.shape[1]})`, role: 'hidden', h: tf.keep(h) });
      }
    }
    const z = vm.bottleneck.posterior(h).mean();
    layers.push({ name: `Z mean (${z.shape[1]})`, role: 'code', h: tf.keep(z) });
  });
  return { rows, layers };
}

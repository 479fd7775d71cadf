import * as tf from '@tensorflow/tfjs';
import { binningInformation } from '@vib/core';
import type { Dataset } from '@vib/core';
import type { LayerInformation } from '../metrics/epoch-record.js';
import { inputSize } from './demo-data.js';
import type { VibClassifier } from './vib-classifier.js';

/**
 * Binning estimates (30 bins per unit, Shwartz-Ziv & Tishby 2017) of I(X;T) and I(T;Y) for every hidden
 * layer T, over all the dataset's inputs (train and test: for the 12-bit task, the 4,096 patterns).
 * Hidden layers are deterministic, so I(X;T) = H(T) of the binned activations (see binningInformation).
 * @param model - the classifier
 * @param data - the dataset
 * @returns one estimate per hidden layer, in bits
 */
export function hiddenLayerInformation(model: VibClassifier, data: Dataset): LayerInformation[] {
  const f = inputSize(data);
  const n = data.train.n + data.test.n;
  const x = new Float32Array(n * f);
  x.set(data.train.x.subarray(0, data.train.n * f));
  x.set(data.test.x.subarray(0, data.test.n * f), data.train.n * f);
  const y = new Int32Array(n);
  y.set(data.train.y.subarray(0, data.train.n));
  y.set(data.test.y.subarray(0, data.test.n), data.train.n);
  const hidden = tf.tidy(() => model.encode(tf.tensor2d(x, [n, f])).hidden);
  const out = hidden.map((h, i) => {
    const r = binningInformation({ data: h.dataSync() as Float32Array, n, d: h.shape[1] }, y, { bins: 30, numClasses: data.numClasses });
    return { layer: `hidden ${i + 1}`, ixtBits: r.ixt.bits, ityBits: r.ity.bits };
  });
  tf.dispose(hidden);
  return out;
}

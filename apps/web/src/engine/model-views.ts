import * as tf from '@tensorflow/tfjs';
import { DiagonalGaussian, FullCovGaussian, binningInformation, type DataSplit, type Dataset } from '@vib/core';
import { decode, type VibModel } from '@vib/tasks';
import type { LatentPlotData } from '../charts/latent-plot.js';
import { covarianceEllipse, type Ellipse } from '../math/ellipse.js';
import type { LayerInformation } from '../metrics/epoch-record.js';
import { scoped } from './scoped.js';

/**
 * Activations of every encoder layer of a model, in order.
 * @param vm - the model
 * @param x - inputs [B, ...inputShape]
 * @returns one tensor per encoder layer (caller disposes)
 */
export function encoderActivations(vm: VibModel, x: tf.Tensor): tf.Tensor2D[] {
  const out: tf.Tensor2D[] = [];
  let h = x;
  for (const layer of vm.encoderLayers) {
    h = layer.apply(h) as tf.Tensor;
    if (h.rank === 2) out.push(h as tf.Tensor2D);
  }
  return out;
}

function splitTensor(split: DataSplit, n: number, inputShape: readonly number[]): tf.Tensor {
  const f = inputShape.reduce((a, b) => a * b, 1);
  return tf.tensor(split.x.subarray(0, n * f), [n, ...inputShape]);
}

/**
 * 2×2 posterior covariances of a batch: diagonal, full (L·Lᵀ), or none for other families.
 * @param posterior - p(z|x) from the bottleneck
 * @returns row-major [σxx, σxy, σyy] per row, or null
 */
function covariances(posterior: unknown): Float32Array | null {
  return scoped(() => {
    if (posterior instanceof DiagonalGaussian) {
      const v = tf.exp(posterior.logVar);
      const [a, c] = tf.split(v, 2, 1) as [tf.Tensor, tf.Tensor];
      return tf.concat([a, tf.zerosLike(a), c], 1).dataSync() as Float32Array;
    }
    if (posterior instanceof FullCovGaussian) {
      const l = posterior.scaleTril;
      const cov = tf.matMul(l, l, false, true).reshape([-1, 4]);
      return tf.gather(cov, [0, 1, 3], 1).dataSync() as Float32Array;
    }
    return null;
  });
}

/**
 * Alemi et al. (2017), Figure 2 for a K = 2 classifier: test codes with 95% ellipses over the decoder's entropy.
 * @param vm - a classification model with latentDim 2
 * @param split - the test split
 * @param maxCodes - codes to draw
 * @param grid - lattice size of the entropy map
 * @returns the plot data
 */
export function latentPicture(vm: VibModel, split: DataSplit, maxCodes = 400, grid = 56): LatentPlotData {
  const n = Math.min(split.n, maxCodes);
  const { means, covs } = scoped(() => {
    const h = encoderActivations(vm, splitTensor(split, n, vm.inputShape)).at(-1)!;
    const posterior = vm.bottleneck.encode(h, { training: false }).posterior;
    return { means: posterior.mean().dataSync() as Float32Array, covs: covariances(posterior) };
  });
  const codes: { label: number; ellipse: Ellipse }[] = [];
  let reach = 0;
  for (let i = 0; i < n; i++) {
    const mu: [number, number] = [means[2 * i]!, means[2 * i + 1]!];
    const s = covs ? [covs[3 * i]!, covs[3 * i + 1]!, covs[3 * i + 2]!] : [0, 0, 0];
    const ellipse = covarianceEllipse(mu, [[s[0]!, s[1]!], [s[1]!, s[2]!]]);
    codes.push({ label: split.y[i]!, ellipse });
    reach = Math.max(reach, Math.abs(mu[0]) + Math.min(ellipse.rx, 1), Math.abs(mu[1]) + Math.min(ellipse.rx, 1));
  }
  const half = Math.max(1, Math.min(50, reach * 1.05));
  const entropy = scoped(() => {
    const axis = tf.linspace(-half, half, grid);
    const xs = tf.tile(axis.reshape([1, grid]), [grid, 1]);
    const ys = tf.tile(tf.reverse(axis).reshape([grid, 1]), [1, grid]);
    const logp = tf.logSoftmax(decode(vm, tf.stack([xs.flatten(), ys.flatten()], 1)));
    return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)).dataSync() as Float32Array;
  });
  return { range: [-half, half], entropy, grid, maxEntropy: Math.log(vm.numClasses), codes };
}

/**
 * Binning estimates (30 bins per unit; Shwartz-Ziv & Tishby, 2017) of I(X;T) and I(T;Y) for every encoder
 * layer T over all the dataset's inputs (for the 12-bit task, the 4,096 patterns). The layers are
 * deterministic, so I(X;T) = H(T) of the binned activations.
 * @param vm - the model
 * @param data - the dataset
 * @returns one estimate per layer, in bits
 */
export function hiddenLayerInformation(vm: VibModel, data: Dataset): LayerInformation[] {
  const f = data.inputShape.reduce((a, b) => a * b, 1);
  const n = data.train.n + data.test.n;
  const x = new Float32Array(n * f);
  x.set(data.train.x.subarray(0, data.train.n * f));
  x.set(data.test.x.subarray(0, data.test.n * f), data.train.n * f);
  const y = new Int32Array(n);
  y.set(data.train.y.subarray(0, data.train.n));
  y.set(data.test.y.subarray(0, data.test.n), data.train.n);
  const acts = tf.tidy(() => encoderActivations(vm, tf.tensor(x, [n, ...data.inputShape])));
  const out = acts.map((h, i) => {
    const r = binningInformation({ data: h.dataSync() as Float32Array, n, d: h.shape[1] }, y, { bins: 30, numClasses: data.numClasses });
    return { layer: `layer ${i + 1}`, ixtBits: r.ixt.bits, ityBits: r.ity.bits };
  });
  tf.dispose(acts);
  return out;
}

import * as tf from '@tensorflow/tfjs';
import { binningInformation, joinSplits, type DataSplit, type Dataset } from '@vib/core';
import { covarianceEllipse, decode, latentCodesAsync, layerActivationsAsync, type Ellipse, type VibModel } from '@vib/tasks';
import type { LatentPlotData } from '../charts/latent-plot.js';
import type { LayerInformation } from '../metrics/epoch-record.js';
import { readScoped } from './scoped.js';

/**
 * Alemi et al. (2017), Figure 2 for a K = 2 classifier: test codes with 95% ellipses over the decoder's entropy.
 * @param vm - a classification model with latentDim 2
 * @param split - the test split
 * @param maxCodes - codes to draw
 * @param grid - lattice size of the entropy map
 * @returns the plot data
 */
export async function latentPicture(vm: VibModel, split: DataSplit, maxCodes = 400, grid = 56): Promise<LatentPlotData> {
  const { n, means, covariances: covs } = await latentCodesAsync(vm, split, maxCodes);
  const codes: { label: number; ellipse: Ellipse }[] = [];
  let reach = 0;
  for (let i = 0; i < n; i++) {
    const mu: [number, number] = [means[2 * i]!, means[2 * i + 1]!];
    const s = covs ? [covs[4 * i]!, covs[4 * i + 1]!, covs[4 * i + 3]!] : [0, 0, 0];
    const ellipse = covarianceEllipse(mu, [[s[0]!, s[1]!], [s[1]!, s[2]!]]);
    codes.push({ label: split.y[i]!, ellipse });
    reach = Math.max(reach, Math.abs(mu[0]) + Math.min(ellipse.rx, 1), Math.abs(mu[1]) + Math.min(ellipse.rx, 1));
  }
  const half = Math.max(1, Math.min(50, reach * 1.05));
  const entropy = await readScoped(() => {
    const axis = tf.linspace(-half, half, grid);
    const xs = tf.tile(axis.reshape([1, grid]), [grid, 1]);
    const ys = tf.tile(tf.reverse(axis).reshape([grid, 1]), [1, grid]);
    const logp = tf.logSoftmax(decode(vm, tf.stack([xs.flatten(), ys.flatten()], 1)));
    return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1));
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
export async function hiddenLayerInformation(vm: VibModel, data: Dataset): Promise<LayerInformation[]> {
  const all = joinSplits(data.train, data.test);
  return (await layerActivationsAsync(vm, all, all.n))
    .filter((l) => l.role === 'hidden')
    .map(({ name, t }) => {
      const r = binningInformation(t, all.y, { bins: 30, numClasses: data.numClasses });
      return { layer: name, ixtBits: r.ixt.bits, ityBits: r.ity.bits, inputs: all.n };
    });
}

import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '@vib/core';
import { covarianceEllipse, decode, latentCodesAsync, type Ellipse, type VibModel } from '@vib/tasks';
import type { LatentPlotData } from '../charts/latent-plot.js';
import { pca2 } from './pca.js';
import { readScoped } from './scoped.js';

/** A latent picture of a K > 2 classifier, drawn in the plane of its codes' first two principal components. */
export interface ProjectedLatentPicture {
  readonly data: LatentPlotData;
  /** Fraction of the codes' variance along each shown axis. */
  readonly explained: readonly [number, number];
}

/**
 * Alemi et al.'s Figure 2 for K > 2: the test codes' posterior means projected on their first two principal
 * axes P (with the projected 95% ellipses PᵀΣP for a Gaussian posterior), over the decoder's entropy
 * on the plane through the mean code spanned by those axes.
 * @param vm - a classifier with latentDim ≥ 2
 * @param split - the test split
 * @param maxCodes - codes to draw
 * @param grid - lattice size of the entropy map
 * @returns the plot data and the explained variance
 */
export async function projectedLatentPicture(vm: VibModel, split: DataSplit, maxCodes = 400, grid = 48): Promise<ProjectedLatentPicture> {
  const codesIn = await latentCodesAsync(vm, split, maxCodes);
  const { n, k, means } = codesIn;
  const cov = codesIn.covariances;
  const p = pca2(means, n, k);
  const [a1, a2] = p.axes;
  const codes: { label: number; ellipse: Ellipse }[] = [];
  let reach = 0;
  for (let i = 0; i < n; i++) {
    let u = 0;
    let v = 0;
    let s11 = 0;
    let s12 = 0;
    let s22 = 0;
    for (let j = 0; j < k; j++) {
      const d = means[i * k + j]! - p.mean[j]!;
      u += d * a1[j]!;
      v += d * a2[j]!;
      if (!cov) continue;
      for (let l = 0; l < k; l++) {
        const c = cov[i * k * k + j * k + l]!;
        s11 += a1[j]! * c * a1[l]!;
        s12 += a1[j]! * c * a2[l]!;
        s22 += a2[j]! * c * a2[l]!;
      }
    }
    const ellipse = covarianceEllipse([u, v], [[s11, s12], [s12, s22]]);
    codes.push({ label: codesIn.labels[i]!, ellipse });
    reach = Math.max(reach, Math.abs(u) + Math.min(ellipse.rx, 1), Math.abs(v) + Math.min(ellipse.rx, 1));
  }
  const half = Math.max(1, Math.min(50, reach * 1.05));
  const entropy = await readScoped(() => {
    const axis = tf.linspace(-half, half, grid);
    const us = tf.tile(axis.reshape([1, grid]), [grid, 1]).reshape([-1, 1]);
    const vs = tf.tile(tf.reverse(axis).reshape([grid, 1]), [1, grid]).reshape([-1, 1]);
    const z = tf.add(tf.add(tf.tensor2d(Float32Array.from(p.mean), [1, k]), tf.mul(us, tf.tensor2d(Float32Array.from(a1), [1, k]))), tf.mul(vs, tf.tensor2d(Float32Array.from(a2), [1, k])));
    const logp = tf.logSoftmax(decode(vm, z));
    return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1));
  });
  return { data: { range: [-half, half], entropy, grid, maxEntropy: Math.log(vm.numClasses), codes }, explained: p.explained };
}

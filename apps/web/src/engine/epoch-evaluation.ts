import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '@vib/core';
import type { LatentPlotData } from '../charts/latent-plot.js';
import { covarianceEllipse, type Ellipse } from '../math/ellipse.js';
import type { VibClassifier } from './vib-classifier.js';

/** Test-split numbers of one epoch. */
export interface SplitEvaluation {
  /** Accuracy of q(y|z) at the posterior mean code. */
  readonly accuracy: number;
  /** E[−log q(y|z)] with one z ~ p(z|x) per example, nats. */
  readonly crossEntropyNats: number;
  /** Mean KL(p(z|x) ‖ r(z)), nats. */
  readonly rateNats: number;
  /** Mean KL per latent dimension, nats (split evenly when the pair does not factorize). */
  readonly klPerDimNats: number[];
}

const CHUNK = 512;

/**
 * Evaluate a classifier on a split in chunks.
 * @param model - the classifier
 * @param split - the data
 * @param features - input size
 * @returns accuracy, cross-entropy, rate and per-dimension KL
 */
export function evaluateSplit(model: VibClassifier, split: DataSplit, features: number): SplitEvaluation {
  const k = model.spec.latentDim;
  let correct = 0;
  let ce = 0;
  let rate = 0;
  const perDim = new Float64Array(k);
  for (let s = 0; s < split.n; s += CHUNK) {
    const e = Math.min(split.n, s + CHUNK);
    const [c, ceSum, klSum, dimSum] = tf.tidy(() => {
      const x = tf.tensor2d(split.x.subarray(s * features, e * features), [e - s, features]);
      const y = tf.tensor1d(split.y.subarray(s, e), 'int32');
      const enc = model.encode(x);
      const atMean = model.decode(enc.posterior.mean() as tf.Tensor2D);
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(atMean, 1), y), 'float32'));
      const logits = model.decode(enc.posterior.sample() as tf.Tensor2D);
      const nll = tf.neg(tf.sum(tf.mul(tf.oneHot(y, model.spec.numClasses), tf.logSoftmax(logits))));
      const kl = model.kl(enc.posterior);
      const dims = kl.perDim ? tf.sum(kl.perDim, 0) : tf.fill([k], 1 / k).mul(tf.sum(kl.total));
      return [hits, nll, tf.sum(kl.total), dims];
    });
    correct += c.dataSync()[0]!;
    ce += ceSum.dataSync()[0]!;
    rate += klSum.dataSync()[0]!;
    dimSum.dataSync().forEach((v, i) => (perDim[i] = perDim[i]! + v));
    tf.dispose([c, ceSum, klSum, dimSum]);
  }
  const n = Math.max(1, split.n);
  return { accuracy: correct / n, crossEntropyNats: ce / n, rateNats: rate / n, klPerDimNats: [...perDim].map((v) => v / n) };
}

/**
 * The label entropy H(Y) of a split in nats (the empirical class frequencies).
 * @param labels - class labels
 * @param numClasses - number of classes
 * @returns H(Y) in nats
 */
export function labelEntropyNats(labels: Int32Array, numClasses: number): number {
  const counts = new Float64Array(numClasses);
  for (const y of labels) counts[y] = (counts[y] ?? 0) + 1;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / labels.length) * Math.log(c / labels.length);
  return h;
}

/**
 * Figure 2 of Alemi et al. (2017) for a K = 2 model: test codes with their 95% ellipses over the decoder's entropy.
 * @param model - a classifier with latentDim 2
 * @param split - the test split
 * @param features - input size
 * @param maxCodes - codes to draw
 * @param grid - lattice size of the entropy map
 * @returns the plot data
 */
export function latentPicture(model: VibClassifier, split: DataSplit, features: number, maxCodes = 400, grid = 56): LatentPlotData {
  const n = Math.min(split.n, maxCodes);
  const [means, logVars] = tf.tidy(() => {
    const enc = model.encode(tf.tensor2d(split.x.subarray(0, n * features), [n, features]));
    return [enc.posterior.mean(), enc.logVar];
  });
  const m = means.dataSync();
  const lv = logVars.dataSync();
  tf.dispose([means, logVars]);
  const squashed = model.posteriorFamily === 'squashed-gaussian';
  const codes: { label: number; ellipse: Ellipse }[] = [];
  let reach = 0;
  for (let i = 0; i < n; i++) {
    const mu: [number, number] = [m[2 * i]!, m[2 * i + 1]!];
    // A squashed posterior is not Gaussian in z: draw its mean only.
    const v: [number, number] = squashed ? [0, 0] : [Math.exp(lv[2 * i]!), Math.exp(lv[2 * i + 1]!)];
    const ellipse = covarianceEllipse(mu, [[v[0], 0], [0, v[1]]]);
    codes.push({ label: split.y[i]!, ellipse });
    reach = Math.max(reach, Math.abs(mu[0]) + Math.min(ellipse.rx, 1), Math.abs(mu[1]) + Math.min(ellipse.ry, 1));
  }
  const b = model.prior.bounds;
  const half = squashed && b ? Math.max(Math.abs(b.low), Math.abs(b.high)) : Math.max(1, Math.min(12, reach * 1.05));
  const range: [number, number] = [-half, half];
  const entropy = tf.tidy(() => {
    const axis = tf.linspace(-half, half, grid);
    const xs = tf.tile(axis.reshape([1, grid]), [grid, 1]);
    const ys = tf.tile(tf.reverse(axis).reshape([grid, 1]), [1, grid]);
    const z = tf.stack([xs.flatten(), ys.flatten()], 1) as tf.Tensor2D;
    const logp = tf.logSoftmax(model.decode(z));
    return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1));
  });
  const data = entropy.dataSync() as Float32Array;
  entropy.dispose();
  return { range, entropy: Float32Array.from(data), grid, maxEntropy: Math.log(model.spec.numClasses), codes };
}

import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '@vib/core';
import { hidden } from '../model/forward.js';
import type { VibModel } from '../model/vib-model.js';

/** The posterior p(z|x) of some inputs: its means, its covariances when Gaussian, and the labels. */
export interface LatentCodes {
  /** Number of inputs. */
  readonly n: number;
  /** Latent dimension K. */
  readonly k: number;
  /** Posterior means, n·K row-major. */
  readonly means: Float32Array;
  /** Posterior covariances, n·K·K row-major, or null when the posterior is not a Gaussian. */
  readonly covariances: Float32Array | null;
  /** The labels of the inputs. */
  readonly labels: Int32Array;
}

/**
 * Encode the first `n` inputs of a split and read off p(z|x): means, and covariances for Gaussian posteriors
 * (those that implement `covariance()`: full Σ = L·Lᵀ, diagonal). What the CLI's latent plot and the web
 * demo's latent picture both draw.
 * @param vm - a trained model
 * @param split - the inputs and labels
 * @param n - how many inputs (at most the split's size)
 * @returns the codes
 * @example
 * ```ts
 * const codes = latentCodes(vm, dataset.test, 400);
 * codes.means.length; // 400 · K
 * ```
 */
export function latentCodes(vm: VibModel, split: DataSplit, n: number): LatentCodes {
  const rows = Math.min(n, split.n);
  const per = split.x.length / split.n;
  const k = vm.config.latentDim;
  let means = new Float32Array(0);
  let covariances: Float32Array | null = null;
  tf.tidy(() => {
    const x = tf.tensor(split.x.subarray(0, rows * per), [rows, ...vm.inputShape]);
    const posterior = vm.bottleneck.posterior(hidden(vm, x));
    means = Float32Array.from(posterior.mean().dataSync());
    // Gaussian families expose Σ; others (squashed, mixtures) have no ellipse to draw
    if (posterior.covariance !== undefined) {
      covariances = Float32Array.from(tf.broadcastTo(posterior.covariance(), [rows, k, k]).dataSync());
    }
  });
  return { n: rows, k, means, covariances, labels: Int32Array.from(split.y.subarray(0, rows)) };
}

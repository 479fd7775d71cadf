import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '@vib/core';
import { hidden } from '../model/forward.js';
import type { VibModel } from '../model/vib-model.js';
import { checkedRows } from '../evaluate/split-batches.js';

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
  const { rows, k, mean, cov } = codeTensors(vm, split, n);
  try {
    return codesOf(vm, split, rows, k, mean.dataSync(), cov?.dataSync() ?? null);
  } finally {
    tf.dispose([mean, ...(cov ? [cov] : [])]);
  }
}

/**
 * {@link latentCodes} with an asynchronous read: what a GPU backend needs (webgpu in Node has no synchronous read).
 * @param vm - a trained model
 * @param split - the inputs and labels
 * @param n - how many inputs (at most the split's size)
 * @returns the codes
 */
export async function latentCodesAsync(vm: VibModel, split: DataSplit, n: number): Promise<LatentCodes> {
  const { rows, k, mean, cov } = codeTensors(vm, split, n);
  try {
    return codesOf(vm, split, rows, k, await mean.data(), cov ? await cov.data() : null);
  } finally {
    tf.dispose([mean, ...(cov ? [cov] : [])]);
  }
}

/** The posterior means [rows, K] and, for Gaussian families (which expose Σ), covariances [rows, K, K]. */
function codeTensors(vm: VibModel, split: DataSplit, n: number) {
  const rows = checkedRows(vm, split, n, 'latentCodes()');
  const per = split.x.length / split.n;
  const k = vm.config.latentDim;
  const [mean, cov] = tf.tidy(() => {
    const x = tf.tensor(split.x.subarray(0, rows * per), [rows, ...vm.inputShape]);
    const posterior = vm.bottleneck.posterior(hidden(vm, x));
    // Gaussian families expose Σ; others (squashed, mixtures) have no ellipse to draw
    return posterior.covariance === undefined ? [posterior.mean()] : [posterior.mean(), tf.broadcastTo(posterior.covariance(), [rows, k, k])];
  });
  return { rows, k, mean: mean!, cov };
}

function codesOf(vm: VibModel, split: DataSplit, rows: number, k: number, means: ArrayLike<number>, cov: ArrayLike<number> | null): LatentCodes {
  return { n: rows, k, means: Float32Array.from(means), covariances: cov === null ? null : Float32Array.from(cov), labels: Int32Array.from(split.y.subarray(0, rows)) };
}

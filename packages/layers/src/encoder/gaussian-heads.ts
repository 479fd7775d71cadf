import * as tf from '@tensorflow/tfjs';
import { ConfigError, DiagonalGaussian, FullCovGaussian, SquashedGaussian, fusedDense, tfSeed } from '@vib/core';
import type { Distribution, PosteriorFamily } from '@vib/core';
import { rawToLogVar, rawToScale, type ScaleParameterization } from './scale.js';

/** Posteriors are built from the encoder's heads on every step: their parameters are not read back (no device sync). */
const HOT_PATH = { validateArgs: false } as const;

/** Raw outputs of the encoder heads for one batch. */
export interface HeadOutputs {
  /** μ, [B,K]. */
  readonly mean: tf.Tensor;
  /** Raw scale (log-variance for `exp`), [B,K]: the diagonal for the full-covariance family. */
  readonly scaleRaw: tf.Tensor;
  /** Strictly-lower-triangular entries of the Cholesky factor, row-major, [B, K(K−1)/2]; full family only. */
  readonly offDiag?: tf.Tensor;
}

/**
 * Number of strictly-lower-triangular entries of a K×K matrix.
 * @param k - latent dimension
 * @returns K(K−1)/2
 */
export function offDiagonalCount(k: number): number {
  return (k * (k - 1)) / 2;
}

/**
 * Assemble a lower-triangular Cholesky factor L [B,K,K] from its positive diagonal [B,K] and its
 * strictly-lower entries [B,K(K−1)/2] (row-major), with matrix products so gradients flow to both.
 * @param diag - the diagonal, [B,K]
 * @param offDiag - the lower entries, [B,K(K−1)/2]
 * @param k - latent dimension
 * @returns L, [B,K,K]
 */
export function assembleTril(diag: tf.Tensor, offDiag: tf.Tensor, k: number): tf.Tensor {
  return tf.tidy(() => {
    const b = diag.shape[0] ?? 1;
    const diagMap = new Float32Array(k * k * k);
    for (let i = 0; i < k; i++) diagMap[i * k * k + i * k + i] = 1;
    let flat = tf.matMul(diag, tf.tensor2d(diagMap, [k, k * k]));
    const m = offDiagonalCount(k);
    if (m > 0) {
      const offMap = new Float32Array(m * k * k);
      let e = 0;
      for (let i = 1; i < k; i++) {
        for (let j = 0; j < i; j++) offMap[e++ * k * k + i * k + j] = 1;
      }
      flat = tf.add(flat, tf.matMul(offDiag, tf.tensor2d(offMap, [m, k * k])));
    }
    return tf.reshape(flat, [b, k, k]);
  });
}

/**
 * Build the posterior p(z|x) of a family from the encoder heads' outputs.
 * @param heads - raw head outputs
 * @param family - posterior family
 * @param scale - how raw scales become σ
 * @param bounds - the box of a bounded prior (required for `squashed-gaussian`)
 * @returns the posterior distribution (holds the given tensors)
 * @throws {@link ConfigError} when the squashed family has no bounds, or the full family no off-diagonal head
 */
export function posteriorFromHeads(
  heads: HeadOutputs,
  family: PosteriorFamily,
  scale: ScaleParameterization,
  bounds?: { readonly low: number; readonly high: number },
): Distribution {
  const k = heads.mean.shape[1] ?? 0;
  switch (family) {
    case 'diagonal-gaussian':
      return new DiagonalGaussian(heads.mean, rawToLogVar(heads.scaleRaw, scale), HOT_PATH);
    case 'squashed-gaussian':
      if (bounds === undefined) {
        throw new ConfigError(
          'posterior "squashed-gaussian" needs a bounded prior (one with bounds, e.g. "uniform"): choose such a prior or another posterior',
          { details: { field: 'posterior', value: family } },
        );
      }
      return new SquashedGaussian(heads.mean, rawToLogVar(heads.scaleRaw, scale), bounds.low, bounds.high, HOT_PATH);
    case 'full-gaussian': {
      if (heads.offDiag === undefined) {
        throw new ConfigError('posterior "full-gaussian" needs the off-diagonal head output', {
          details: { field: 'posterior', value: family },
        });
      }
      return new FullCovGaussian(heads.mean, assembleTril(rawToScale(heads.scaleRaw, scale), heads.offDiag, k), HOT_PATH);
    }
    default:
      throw new ConfigError(
        `unknown posterior family "${String(family)}": use diagonal-gaussian, full-gaussian or squashed-gaussian`,
        { details: { field: 'posterior', value: family } },
      );
  }
}

/** A layer weight as tfjs's `addWeight` returns it (a LayerVariable; `read()` gives the current variable). */
export interface HeadWeight {
  /**
   * The weight's current variable.
   * @returns the variable
   */
  read(): tf.Variable;
}

/** Adds one weight to the layer being built: name, shape, initializer. */
export type AddHeadWeight = (name: string, shape: number[], init: ReturnType<typeof tf.initializers.zeros>) => HeadWeight;

/** The heads' weights, by role. */
export interface HeadWeights {
  /** μ head kernel, [H,K]. */
  readonly meanKernel: HeadWeight;
  /** μ head bias, [K]. */
  readonly meanBias: HeadWeight;
  /** Raw-scale head kernel, [H,K]. */
  readonly scaleKernel: HeadWeight;
  /** Raw-scale head bias, [K]. */
  readonly scaleBias: HeadWeight;
  /** Lower Cholesky entries' kernel, [H, K(K−1)/2]; full-covariance family with K > 1 only. */
  readonly offKernel?: HeadWeight;
  /** Lower Cholesky entries' bias, [K(K−1)/2]; full-covariance family with K > 1 only. */
  readonly offBias?: HeadWeight;
}

/**
 * Create the Gaussian heads' weights on a layer: dense maps from h [B,H] to μ and the raw scale [B,K], and
 * for the full-covariance family to the K(K−1)/2 lower entries of the Cholesky factor. Kernels start
 * Glorot-uniform (seeded when `seed` is given), biases at zero. Weight names (`mean/kernel`, `scale/bias`,
 * `offdiag/kernel`, ...) are part of the saved format.
 * @param add - the layer's `addWeight`
 * @param h - input width H
 * @param k - latent dimension K
 * @param family - posterior family
 * @param seed - initializer seed, or undefined for random
 * @returns the weights
 */
export function createHeadWeights(add: AddHeadWeight, h: number, k: number, family: PosteriorFamily, seed: number | undefined): HeadWeights {
  const glorot = (offset: number) => tf.initializers.glorotUniform(seed === undefined ? {} : { seed: tfSeed(seed + offset) });
  const zeros = tf.initializers.zeros();
  const heads = {
    meanKernel: add('mean/kernel', [h, k], glorot(0)),
    meanBias: add('mean/bias', [k], zeros),
    scaleKernel: add('scale/kernel', [h, k], glorot(1)),
    scaleBias: add('scale/bias', [k], zeros),
  };
  if (family !== 'full-gaussian' || k < 2) return heads;
  const m = offDiagonalCount(k);
  return { ...heads, offKernel: add('offdiag/kernel', [h, m], glorot(2)), offBias: add('offdiag/bias', [m], zeros) };
}

/**
 * Apply the heads to a batch.
 * @param weights - from {@link createHeadWeights}
 * @param h - hidden representation [B,H]
 * @param k - latent dimension K
 * @param family - posterior family
 * @returns μ, the raw scale and (full covariance) the off-diagonal entries
 */
export function applyHeads(weights: HeadWeights, h: tf.Tensor, k: number, family: PosteriorFamily): HeadOutputs {
  // one node of the gradient tape per head where the backend has a VibDense kernel (the same values as matMul + add)
  const dense = (kernel: HeadWeight, bias: HeadWeight) => fusedDense(h as tf.Tensor2D, kernel.read() as tf.Tensor2D, bias.read() as tf.Tensor1D);
  const mean = dense(weights.meanKernel, weights.meanBias);
  const scaleRaw = dense(weights.scaleKernel, weights.scaleBias);
  if (family !== 'full-gaussian') return { mean, scaleRaw };
  const offDiag = k > 1 && weights.offKernel && weights.offBias ? dense(weights.offKernel, weights.offBias) : tf.zeros([h.shape[0] ?? 1, 0]);
  return { mean, scaleRaw, offDiag };
}

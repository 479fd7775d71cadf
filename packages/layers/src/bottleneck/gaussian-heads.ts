import * as tf from '@tensorflow/tfjs';
import { ConfigError, DiagonalGaussian, FullCovGaussian, SquashedGaussian } from '@vib/core';
import type { Distribution, PosteriorFamily } from '@vib/core';
import { rawToLogVar, rawToScale, type ScaleParameterization } from './scale.js';

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
      return new DiagonalGaussian(heads.mean, rawToLogVar(heads.scaleRaw, scale));
    case 'squashed-gaussian':
      if (bounds === undefined) {
        throw new ConfigError(
          'posterior "squashed-gaussian" needs a bounded prior (one with bounds, e.g. "uniform"): choose such a prior or another posterior',
          { details: { field: 'posterior', value: family } },
        );
      }
      return new SquashedGaussian(heads.mean, rawToLogVar(heads.scaleRaw, scale), bounds.low, bounds.high);
    case 'full-gaussian': {
      if (heads.offDiag === undefined) {
        throw new ConfigError('posterior "full-gaussian" needs the off-diagonal head output', {
          details: { field: 'posterior', value: family },
        });
      }
      return new FullCovGaussian(heads.mean, assembleTril(rawToScale(heads.scaleRaw, scale), heads.offDiag, k));
    }
    default:
      throw new ConfigError(
        `unknown posterior family "${String(family)}": use diagonal-gaussian, full-gaussian or squashed-gaussian`,
        { details: { field: 'posterior', value: family } },
      );
  }
}

import * as tf from '@tensorflow/tfjs';
import { SOFTPLUS_SCALE, softplusLogVar } from '@vib/core';

/**
 * How an encoder head's raw output becomes a scale.
 * - `exp`: the raw output is the log-variance, σ = exp(raw/2) (the seeds' VIB layer, Su 2018)
 * - `softplus`: σ = softplus(raw − 5) (Alemi et al. 2017's code; σ starts near 0.0067)
 */
export type ScaleParameterization = 'exp' | 'softplus';

/** The shift of Alemi et al. (2017)'s `softplus(x − 5)` scale. */
export const SOFTPLUS_SHIFT = SOFTPLUS_SCALE.shift;

/** Smallest σ the softplus parameterization returns, so log σ stays finite in float32. */
const MIN_SCALE = SOFTPLUS_SCALE.floor;

/**
 * Turn a raw head output into the log-variance log σ² of a diagonal Gaussian (softplus: `@vib/core`'s
 * `softplusLogVar`, one fused kernel each way on the wasm acceleration tiers).
 * @param raw - head output, any shape
 * @param scale - the parameterization
 * @returns log σ², same shape
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * rawToLogVar(tf.zeros([1, 2]), 'exp'); // [[0, 0]]: σ = 1
 * ```
 */
export function rawToLogVar(raw: tf.Tensor, scale: ScaleParameterization): tf.Tensor {
  if (scale === 'exp') return raw;
  return softplusLogVar(raw);
}

/**
 * Turn a raw head output into a positive standard deviation σ (the diagonal of a Cholesky factor).
 * @param raw - head output, any shape
 * @param scale - the parameterization
 * @returns σ, same shape
 */
export function rawToScale(raw: tf.Tensor, scale: ScaleParameterization): tf.Tensor {
  return tf.tidy(() =>
    scale === 'exp' ? tf.exp(tf.mul(raw, 0.5)) : tf.add(tf.softplus(tf.sub(raw, SOFTPLUS_SHIFT)), MIN_SCALE),
  );
}

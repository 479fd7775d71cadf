import * as tf from '@tensorflow/tfjs';
import { ConfigError, MAX_INTERPOLATION_STEPS } from '@vib/core';
import { decode, hidden } from './forward.js';
import type { VibModel } from './vib-model.js';

/**
 * Decode a code into the model's prediction (probabilities, or the reconstruction's mean).
 * @param vm - the model
 * @param z - codes [B,K]
 * @returns predictions [B,O]
 */
export function decodePrediction(vm: VibModel, z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    return vm.task.predict(decode(vm, z));
  });
}

/**
 * Draw n codes z ~ r(z) from the prior and decode them (for a VAE: new samples).
 * @param vm - the model
 * @param n - number of samples
 * @param seed - seed for the draws
 * @returns codes [n,K] and decoded outputs [n,O]
 */
export function sampleFromPrior(vm: VibModel, n: number, seed?: number): { z: tf.Tensor; decoded: tf.Tensor } {
  return tf.tidy(() => {
    const z = tf.reshape(vm.bottleneck.prior.distribution().sample(n, seed), [n, vm.bottleneck.latentDim]);
    return { z, decoded: decodePrediction(vm, z) };
  });
}

/**
 * Codes along a path between z₁ and z₂: linear (1 − α)z₁ + αz₂ for α ∈ [0, 1], or spherical
 * z₁·cos θ + z₂·sin θ for θ ∈ [0, π/2] (Su 2018: for a standard normal prior the spherical path keeps
 * codes on the typical shell).
 * @param z1 - first code [K] or [1,K]
 * @param z2 - second code, same shape
 * @param steps - number of codes, ≥ 2 (both ends included)
 * @param kind - `linear` or `spherical`
 * @returns codes [steps,K]
 * @throws {@link ConfigError} when steps is outside 2..{@link MAX_INTERPOLATION_STEPS}
 * @example
 * ```ts
 * interpolateCodes(tf.tensor1d([1, 0]), tf.tensor1d([0, 1]), 3, 'spherical'); // [[1,0],[0.707,0.707],[0,1]]
 * ```
 */
export function interpolateCodes(z1: tf.Tensor, z2: tf.Tensor, steps: number, kind: 'linear' | 'spherical'): tf.Tensor {
  if (!Number.isInteger(steps) || steps < 2 || steps > MAX_INTERPOLATION_STEPS) {
    throw new ConfigError(`interpolation steps must be an integer from 2 to ${MAX_INTERPOLATION_STEPS}, got ${String(steps)}`, { details: { field: 'steps', value: steps } });
  }
  return tf.tidy(() => {
    const t = tf.linspace(0, 1, steps).reshape([steps, 1]);
    const a = tf.reshape(z1, [1, -1]);
    const b = tf.reshape(z2, [1, -1]);
    if (kind === 'linear') return tf.add(tf.mul(tf.sub(1, t), a), tf.mul(t, b));
    const theta = tf.mul(t, Math.PI / 2);
    return tf.add(tf.mul(tf.cos(theta), a), tf.mul(tf.sin(theta), b));
  });
}

/**
 * Interpolate between two inputs' mean codes and decode the path.
 * @param vm - the model
 * @param x1 - first input [1, ...inputShape]
 * @param x2 - second input [1, ...inputShape]
 * @param steps - points on the path (both ends included)
 * @param kind - `linear` or `spherical`
 * @returns codes [steps,K] and decoded outputs [steps,O]
 */
export function interpolateInputs(
  vm: VibModel,
  x1: tf.Tensor,
  x2: tf.Tensor,
  steps: number,
  kind: 'linear' | 'spherical',
): { z: tf.Tensor; decoded: tf.Tensor } {
  return tf.tidy(() => {
    const code = (x: tf.Tensor) => vm.bottleneck.posterior(hidden(vm, x)).mean();
    const z = interpolateCodes(code(x1), code(x2), steps, kind);
    return { z, decoded: decodePrediction(vm, z) };
  });
}

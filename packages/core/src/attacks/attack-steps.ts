import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors/config-error.js';
import type { AttackLoss, AttackOptions } from '../plugins/attack-plugin.js';

/**
 * Check ε: a finite number ≥ 0.
 * @param epsilon - the radius
 * @throws {@link ConfigError} naming the value
 */
export function checkEpsilon(epsilon: number): void {
  if (!Number.isFinite(epsilon) || epsilon < 0) {
    throw new ConfigError(`attack epsilon must be a finite number ≥ 0, got ${epsilon}: pass e.g. 0.1`, { details: { field: 'epsilon', value: epsilon } });
  }
}

/**
 * ∇ₓ Σ_b loss_b(x): the gradient of the batch's summed loss with respect to the inputs.
 * @param loss - per-example loss
 * @param x - inputs
 * @returns the gradient, shape of x
 */
export function inputGradient(loss: AttackLoss, x: tf.Tensor): tf.Tensor {
  return tf.grad((v: tf.Tensor) => tf.sum(loss(v)))(x);
}

/**
 * Clip to the options' bounds, if any.
 * @param x - inputs
 * @param options - the attack options
 * @returns x clipped (a new tensor)
 */
export function clipToBounds(x: tf.Tensor, options: AttackOptions): tf.Tensor {
  return options.bounds === undefined ? tf.clone(x) : tf.clipByValue(x, options.bounds[0], options.bounds[1]);
}

/**
 * Per-example L2 norm over every axis but the first, shaped to broadcast against x ([B,1,...]).
 * @param t - a batch [B, ...]
 * @returns the norms [B,1,...,1]
 */
export function exampleNorm(t: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const b = t.shape[0] ?? 1;
    const norms = tf.sqrt(tf.sum(tf.square(tf.reshape(t, [b, -1])), 1));
    return tf.reshape(norms, [b, ...t.shape.slice(1).map(() => 1)]);
  });
}

/**
 * Project a perturbation δ onto the ε-ball of a norm.
 * @param delta - δ = x' − x
 * @param epsilon - the radius
 * @param norm - L∞ (clip each entry) or L2 (rescale rows longer than ε)
 * @returns the projected δ
 */
export function projectToBall(delta: tf.Tensor, epsilon: number, norm: 'linf' | 'l2'): tf.Tensor {
  return tf.tidy(() => {
    if (norm === 'linf') return tf.clipByValue(delta, -epsilon, epsilon);
    const n = exampleNorm(delta);
    return tf.mul(delta, tf.minimum(1, tf.div(epsilon, tf.maximum(n, 1e-12))));
  });
}

import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors/shape-error.js';

/**
 * Check that a critic score matrix is square [B, B] with B ≥ 2 (the off-diagonal entries are the
 * samples of the product of marginals, so at least one is needed).
 * @param scores - f[i][j] = critic(x_i, y_j); the diagonal holds the positive pairs
 * @param bound - name of the bound, for the message
 * @throws {@link ShapeError} otherwise
 */
export function checkScores(scores: tf.Tensor, bound: string): void {
  const [a, b] = scores.shape;
  if (scores.rank !== 2 || a !== b || a === undefined || a < 2) {
    throw new ShapeError(
      `${bound} needs a square score matrix [B, B] with B ≥ 2 (f[i][j] = critic(x_i, y_j)), got [${scores.shape.join(', ')}]`,
      { details: { shape: scores.shape } },
    );
  }
}

/**
 * Mean of the diagonal, (1/B) Σ_i f[i][i]: the critic's average on samples of the joint p(x, y).
 * @param scores - [B, B] scores
 * @returns scalar
 */
export function meanDiagonal(scores: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.mul(scores, tf.eye(scores.shape[0]))).mul(scores.shape[0]) as tf.Scalar);
}

/**
 * log of the mean of exp(f) over the off-diagonal entries: log (1/(B(B−1))) Σ_{i≠j} e^{f[i][j]},
 * the log-partition over samples of p(x)p(y). Differentiable; computed stably with logSumExp.
 * @param scores - [B, B] scores
 * @returns scalar
 */
export function logMeanExpOffDiagonal(scores: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const b = scores.shape[0];
    const mask = tf.cast(tf.eye(b), 'bool');
    const masked = tf.where(mask, tf.fill([b, b], -Infinity), scores);
    return tf.sub(tf.logSumExp(tf.reshape(masked, [-1])), Math.log(b * (b - 1))) as tf.Scalar;
  });
}

/**
 * Identity in the forward pass, zero gradient in the backward pass (tf.stop_gradient).
 * @param x - any tensor
 * @returns a copy of `x` that gradients do not flow through
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: (args[0] as tf.Tensor).clone(),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  }));
  return f(x) as T;
}

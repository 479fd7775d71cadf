import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors/shape-error.js';

/**
 * Format a shape for error messages, e.g. `[32,8]`.
 * @param shape - a tensor shape
 * @returns the shape as text
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * Check that a tensor has rank `rank` and return its shape.
 * @param what - the argument, e.g. `DiagonalGaussian mean`
 * @param t - the tensor
 * @param rank - expected rank
 * @param layout - the expected layout in words, e.g. `[B,K]`
 * @returns the shape
 * @throws {@link ShapeError} when the rank differs
 */
export function expectRank(what: string, t: tf.Tensor, rank: number, layout: string): number[] {
  if (t.rank !== rank) {
    throw new ShapeError(
      `${what} must have shape ${layout} (rank ${rank}), got ${formatShape(t.shape)}; reshape it (a single row is [1,K])`,
      { details: { argument: what, expected: layout, actual: t.shape } },
    );
  }
  return t.shape;
}

/**
 * Check that two tensors have exactly the same shape.
 * @param whatA - name of the first argument
 * @param a - the first tensor
 * @param whatB - name of the second argument
 * @param b - the second tensor
 * @throws {@link ShapeError} when the shapes differ
 */
export function expectSameShape(whatA: string, a: tf.Tensor, whatB: string, b: tf.Tensor): void {
  const same = a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i]);
  if (!same) {
    throw new ShapeError(
      `${whatB} must have the same shape as ${whatA} ${formatShape(a.shape)}, got ${formatShape(b.shape)}`,
      { details: { expected: a.shape, actual: b.shape } },
    );
  }
}

/**
 * Check that `z` ends in the event size K, so it can be scored by a distribution over ℝ^K.
 * @param typeName - the distribution's type name
 * @param z - values of shape [..., K]
 * @param eventSize - K
 * @throws {@link ShapeError} when the last axis is not K
 */
export function expectEvent(typeName: string, z: tf.Tensor, eventSize: number): void {
  if (z.rank < 1 || z.shape[z.rank - 1] !== eventSize) {
    throw new ShapeError(
      `${typeName}.logProb expects values of shape [..., B, ${eventSize}], got ${formatShape(z.shape)}`,
      { details: { expected: `[..., B, ${eventSize}]`, actual: z.shape } },
    );
  }
}

/**
 * Check that a sample count is a positive integer (or absent).
 * @param typeName - the distribution's type name
 * @param n - requested number of samples
 * @throws {@link ShapeError} when n is not a positive integer
 */
export function expectSampleCount(typeName: string, n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
    throw new ShapeError(`${typeName}.sample(n): n must be a positive integer, got ${String(n)}`, {
      details: { expected: 'positive integer', actual: n },
    });
  }
}

import * as tf from '@tensorflow/tfjs';

/**
 * Run `fn` and free every tensor it created; unlike `tf.tidy` it may return plain values (typed arrays, objects).
 * @param fn - work that reads its results out of tensors
 * @returns what `fn` returned
 */
export function scoped<T>(fn: () => T): T {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}

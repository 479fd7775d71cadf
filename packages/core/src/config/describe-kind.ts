import * as tf from '@tensorflow/tfjs';

/**
 * What kind of value something is, for messages about what a plugin returned: `a tensor of shape [4, 3]`, `null`,
 * `nothing (undefined)`, `an array`, `an object that is not a tensor`, `a number`, ...
 * @param v - the value
 * @returns the phrase
 */
export function describeKind(v: unknown): string {
  if (v instanceof tf.Tensor) return `a tensor of shape [${v.shape.join(', ')}]`;
  if (v === null) return 'null';
  if (v === undefined) return 'nothing (undefined)';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object that is not a tensor' : `a ${typeof v}`;
}

import * as tf from '@tensorflow/tfjs';

/** A tensor as plain JSON (float32 values survive JSON exactly). */
export interface SerializedTensor {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
  readonly values: number[];
}

/**
 * Copy a tensor into plain JSON.
 * @param name - a name to keep with it
 * @param t - the tensor
 * @returns its serialized form
 */
export async function serializeTensor(name: string, t: tf.Tensor): Promise<SerializedTensor> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  return { name, shape: [...t.shape], dtype, values: Array.from(await t.data()) };
}

/**
 * Make a tensor from its serialized form.
 * @param s - the serialized tensor
 * @returns a new tensor
 */
export function deserializeTensor(s: SerializedTensor): tf.Tensor {
  return tf.tensor(s.values, s.shape, s.dtype);
}

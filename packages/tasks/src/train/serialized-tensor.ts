import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '@vib/core';

/**
 * A serialized tensor's values: a plain array (the JSON form) or a typed array of the tensor's dtype (`Float32Array`
 * for float32, `Int32Array` for int32: the form for binary files, 4 bytes a value instead of a JavaScript array's 8
 * on the heap, and no copy into a plain array and back).
 */
export type TensorValues = number[] | Float32Array | Int32Array;

/** The typed form of {@link TensorValues}: what `trainer.checkpoint({ values: 'typed' })` holds. */
export type TypedTensorValues = Float32Array | Int32Array;

/**
 * A tensor as plain JSON (float32 values survive JSON exactly), as kept in a {@link TrainCheckpoint}; with `V` a typed
 * array ({@link TypedTensorValues}), the same tensor for a binary file (not JSON: `JSON.stringify` writes a typed
 * array as an object).
 * @typeParam V - the form of the values
 */
export interface SerializedTensor<V extends TensorValues = number[]> {
  /** What the tensor is: `w<i>` for the i-th model weight, the optimizer variable's name, `ema/<i>` for a weight average. */
  readonly name: string;
  /** The tensor's shape, e.g. [784, 1024] for a Dense kernel; `[]` for a scalar. */
  readonly shape: number[];
  /** The element type: int32 stays int32; every other dtype is stored as float32. */
  readonly dtype: 'float32' | 'int32';
  /** The elements, row-major, `shape` multiplied out in length. */
  readonly values: V;
}

/** The form of a serialized tensor's values: a plain array (`'json'`) or a typed array of the dtype (`'typed'`). */
export type ValuesForm = 'json' | 'typed';

/**
 * Copy a tensor out: into plain JSON, or with `'typed'` into a typed array of its own.
 * @param name - a name to keep with it
 * @param t - the tensor
 * @param form - the form of the values (default `'json'`)
 * @returns its serialized form
 */
export async function serializeTensor(name: string, t: tf.Tensor, form: ValuesForm = 'json'): Promise<SerializedTensor<TensorValues>> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  const data = await t.data();
  if (form === 'typed') {
    // a copy of its own: some backends (cpu) hand out the tensor's own storage, which must not leave with the checkpoint
    return { name, shape: [...t.shape], dtype, values: dtype === 'int32' ? new Int32Array(data as ArrayLike<number>) : new Float32Array(data as ArrayLike<number>) };
  }
  // a counted loop into a preallocated array: about twice as fast as Array.from on a typed array
  const values = new Array<number>(data.length);
  for (let i = 0; i < data.length; i++) values[i] = Number(data[i]);
  return { name, shape: [...t.shape], dtype, values };
}

/**
 * Serialize tensors one after the other (not all at once: what a backend reads out for one can be collected before
 * the next is read, so a checkpoint does not hold every tensor twice at its peak).
 * @param named - each tensor with the name to keep with it
 * @param form - the form of the values
 * @returns the serialized tensors, in order
 */
export async function serializeAll(named: readonly (readonly [string, tf.Tensor])[], form: ValuesForm): Promise<SerializedTensor<TensorValues>[]> {
  const out: SerializedTensor<TensorValues>[] = [];
  for (const [name, t] of named) out.push(await serializeTensor(name, t, form));
  return out;
}

/**
 * Make a tensor from its serialized form (typed values are copied: the tensor never shares the checkpoint's memory).
 * @param s - the serialized tensor
 * @returns a new tensor
 */
export function deserializeTensor(s: SerializedTensor<TensorValues>): tf.Tensor {
  return tf.tensor(Array.isArray(s.values) ? s.values : s.values.slice(), s.shape, s.dtype);
}

/**
 * Check a serialized tensor before it becomes a tensor: its values fill its shape and each one is a
 * finite number (`JSON.stringify` writes NaN and ±Infinity as null, which `tf.tensor` would read as 0).
 * @param s - the serialized tensor
 * @throws {@link CheckpointError} naming the tensor and the first bad value
 */
export function expectFiniteTensor(s: SerializedTensor<TensorValues>): void {
  const count = s.shape.reduce((a, b) => a * b, 1);
  const values: unknown = s.values;
  const typed = values instanceof Float32Array || values instanceof Int32Array;
  if (!(Array.isArray(values) || typed) || values.length !== count) {
    throw new CheckpointError(`checkpoint tensor ${s.name} has ${Array.isArray(values) || typed ? values.length : 'no'} values for shape [${s.shape.join(', ')}]: the checkpoint is corrupted`, {
      details: { rule: 'shape', tensor: s.name },
    });
  }
  if (typed && (values instanceof Int32Array) !== (s.dtype === 'int32')) {
    throw new CheckpointError(`checkpoint tensor ${s.name} is ${s.dtype} but its values are an ${values.constructor.name}: typed values must be a Float32Array for float32 and an Int32Array for int32`, {
      details: { rule: 'dtype', tensor: s.name },
    });
  }
  // an Int32Array holds only finite integers
  if (values instanceof Int32Array) return;
  for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new CheckpointError(`checkpoint tensor ${s.name} holds ${v === null ? 'null (NaN or ±Infinity in JSON)' : String(v)} at index ${i}: the checkpoint is corrupted or the run diverged; resume from an earlier checkpoint`, {
        details: { rule: 'finite', tensor: s.name, index: i },
      });
    }
  }
}

import * as tf from '@tensorflow/tfjs';
import type { NormalTarget } from '@vib/core';
import { heapOffset, wasmInternals } from './wasm-internals.js';

/**
 * Long normal draws written straight into the wasm heap (for `@vib/core`'s `setNormalTarget`): the tensor's memory
 * is allocated, uninitialized, on the active wasm backend, and the draw's numbers are written into it in place by
 * whichever filler draws them (the native tier's, the two-thread one, or JavaScript's `polarFill`). No array of the
 * draw's size is allocated, page-faulted in, copied into the heap and collected. Declines on another backend.
 * @param shape - the draw's shape
 * @param write - fills an array of the draw's size with its numbers
 * @returns the tensor, or null when the active backend is not tfjs-backend-wasm
 */
export const heapNormalTarget: NormalTarget = (shape, write) => {
  const be = wasmInternals(tf.backend());
  if (!be) return null;
  const n = shape.reduce((p, d) => p * d, 1);
  const info = be.makeOutput([...shape], 'float32');
  try {
    // read the heap after the allocation, which may have grown (and so replaced) it
    const off = heapOffset(be, info);
    write(be.wasm.HEAPF32.subarray(off, off + n));
  } catch (e) {
    be.disposeData(info.dataId, true);
    throw e;
  }
  return tf.engine().makeTensorFromTensorInfo(info);
};

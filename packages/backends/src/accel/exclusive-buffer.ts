import * as tf from '@tensorflow/tfjs';
import type { WasmBackendInternals } from './wasm-internals.js';

/**
 * Give a variable a buffer of its own before an in-place write: `tf.variable`, `clone` and `reshape` share data,
 * and writing a shared buffer would change every tensor that shares it. A shared buffer is replaced by a copy
 * (`x · 1`, bitwise x); an exclusive one is left as it is.
 * @param be - wasm internals of the active backend
 * @param v - the variable about to be written in place
 */
export function ensureExclusive(be: WasmBackendInternals, v: tf.Variable): void {
  const engineRefs = (tf.engine().state as unknown as { tensorInfo: WeakMap<object, { refCount: number }> }).tensorInfo.get(v.dataId)?.refCount ?? 1;
  if (engineRefs > 1 || (be.dataIdMap.get(v.dataId)?.refCount ?? 1) > 1) tf.tidy(() => v.assign(tf.mul(v, tf.scalar(1, v.dtype))));
}

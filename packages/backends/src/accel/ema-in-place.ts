import * as tf from '@tensorflow/tfjs';
import type { EmaInPlace } from '@vib/core';
import { ensureExclusive } from './exclusive-buffer.js';
import { firstUseCheck } from './first-use.js';
import { emaOnHeap } from './fused/ema-kernel.js';
import type { EmaKernel } from './fused/fused-kernel-spec.js';
import { wroteInPlace } from './pure-matmul.js';
import { simdKernels } from './simd-kernels.js';
import { canForgetPackedCopies, heapOffset, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

/** An odd-sized first-use case (not a multiple of a SIMD width, over a threaded split would need 2^16). */
const CHECK_SIZE = 37;

/** Compare the in-place step with the stock kernels' d·a + (1 − d)·v on this backend, bit for bit. */
function checkInPlace(step: (a: tf.Variable, v: tf.Tensor, decay: number) => void): string | null {
  const a0 = Float32Array.from({ length: CHECK_SIZE }, (_, i) => Math.sin(i + 1) * 3);
  const v0 = Float32Array.from({ length: CHECK_SIZE }, (_, i) => Math.cos(2 * i + 1) * 2);
  const decay = 0.999;
  const want = tf.tidy(() => tf.add(tf.mul(tf.tensor1d(a0), decay), tf.mul(tf.tensor1d(v0), 1 - decay)).dataSync());
  const init = tf.tensor1d(a0);
  const value = tf.tensor1d(v0);
  const a = tf.variable(init, false); // shares init's buffer: the step must copy it first
  try {
    step(a, value, decay);
    const got = a.dataSync();
    const i = got.findIndex((x, k) => !Object.is(x, want[k]));
    if (i >= 0) return `element ${i}: ${got[i]}, stock ${want[i]}`;
    return init.dataSync().every((x, k) => Object.is(x, a0[k])) ? null : 'it wrote a buffer another tensor shares';
  } finally {
    for (const t of [a, init, value]) t.dispose();
  }
}

/**
 * The in-place EMA step of a tier (for `@vib/core`'s `setEmaInPlace`): on the wasm backend, the average's own
 * buffer is overwritten with d·average + (1 − d)·value by the tier's EMA kernel, instead of a new tensor the size
 * of the model each step. A buffer shared with another tensor is first replaced by a copy of its own, so no other
 * tensor sees the write, and tfjs-wasm is told to drop what its kernels packed from the average (a matmul that
 * packed it before would otherwise multiply by its old values); where it cannot be told, the stock path runs. At
 * first use it runs an odd-sized case and compares it with the stock kernels bit for bit; on disagreement it warns
 * once and leaves every later step to the stock path (returns false).
 * Other backends, dtypes and shapes return false.
 * @param emaFor - the tier's own EMA kernel on a backend, or null (then the SIMD module's, or a JS loop)
 * @param label - tier label for the warning
 * @param warn - warning sink
 * @returns the step
 */
export function emaInPlaceStep(emaFor: (be: WasmBackendInternals) => EmaKernel | null, label: string, warn: (message: string) => void): EmaInPlace {
  const write = (be: WasmBackendInternals, average: tf.Variable, value: tf.Tensor, decay: number): void => {
    ensureExclusive(be, average);
    const ctx = { be, ema: emaFor(be), simd: simdKernels(be) };
    emaOnHeap(ctx, heapOffset(be, average), heapOffset(be, value), heapOffset(be, average), average.size, decay);
    // a kernel that packed the average (XNNPACK's matmul and convolution weights, kept by tensor id) must not
    // multiply by its old values: tfjs-wasm drops those packings, as after the fused Adam's in-place write
    wroteInPlace(be, average);
  };
  const checked = firstUseCheck(
    (be: WasmBackendInternals) => checkInPlace((a, v, d) => write(be, a, v, d)),
    (problem) => warn(`@vib/backends: the ${label} in-place EMA step disagrees with the stock kernels (${problem}); using the stock step.`),
  );
  const step: EmaInPlace = (average, value, decay) => {
    const be = tf.getBackend() !== 'wasm' ? null : wasmInternals(tf.backend());
    if (!be || average.dtype !== 'float32' || value.dtype !== 'float32' || average.shape.join() !== value.shape.join()) return false;
    if (!be.dataIdMap.get(average.dataId) || !be.dataIdMap.get(value.dataId)) return false;
    // without a way to drop what kernels packed from the average, writing it in place could leave them stale
    if (!canForgetPackedCopies(be)) return false;
    if (!checked(be)) return false;
    write(be, average, value, decay);
    return true;
  };
  return step;
}

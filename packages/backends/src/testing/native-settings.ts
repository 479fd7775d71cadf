import type { GemmKernelName, NativeBlas } from '../accel/native-blas-module.js';

/** Runs `f` with a setting of the addon changed, then gives back the value it had. */
function withSetting<V, T>(get: () => V, set: (v: V) => unknown, value: V, f: () => T): T {
  const before = get();
  set(value);
  try {
    return f();
  } finally {
    set(before);
  }
}

/**
 * Runs `f` with the native addon set to `threads` threads, then gives back the count it had.
 * @param blas - the loaded addon
 * @param threads - the thread count for the call
 * @param f - the work
 * @returns what `f` returns
 */
export function withNativeThreads<T>(blas: NativeBlas, threads: number, f: () => T): T {
  return withSetting(() => blas.getNumThreads(), (n) => blas.setNumThreads(n), threads, f);
}

/**
 * Runs `f` with sgemm's plain products on `kernel`, then gives back the kernel it had; in an addon built before
 * the choice existed, just runs `f`.
 * @param blas - the loaded addon
 * @param kernel - `avx512`, `avx2` or `openblas`
 * @param f - the work
 * @returns what `f` returns
 */
export function withGemmKernel<T>(blas: NativeBlas, kernel: GemmKernelName, f: () => T): T {
  const { gemmKernel, setGemmKernel } = blas;
  if (!gemmKernel || !setGemmKernel) return f();
  return withSetting(() => gemmKernel.call(blas), (k) => setGemmKernel.call(blas, k), kernel, f);
}

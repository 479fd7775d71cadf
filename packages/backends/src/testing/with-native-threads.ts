import type { NativeBlas } from '../accel/native-blas-module.js';

/**
 * Runs `f` with the native addon set to `threads` threads, then gives back the count it had.
 * @param blas - the loaded addon
 * @param threads - the thread count for the call
 * @param f - the work
 * @returns what `f` returns
 */
export function withNativeThreads<T>(blas: NativeBlas, threads: number, f: () => T): T {
  const before = blas.getNumThreads();
  blas.setNumThreads(threads);
  try {
    return f();
  } finally {
    blas.setNumThreads(before);
  }
}

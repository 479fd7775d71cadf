import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@vib/core';
import { installKernelOverride, uninstallAllOverrides, type OverrideHandle } from './install-override.js';
import { loadNativeBlas } from './load-native-blas.js';
import { nativeMatMulOverride } from './native-matmul.js';
import { pureMatMulOverride } from './pure-matmul.js';

/** Options for {@link installAcceleration}. */
export interface AccelerationOptions {
  /** Highest tier to install; default `native` (falls back to `pure` when the addon is absent). */
  readonly tier?: 'stock' | 'pure' | 'native';
  /** OpenBLAS threads (native tier). */
  readonly threads?: number;
  /** Where the one warning of a failed self-check goes. */
  readonly warn?: (message: string) => void;
}

/** What {@link installAcceleration} installed. */
export interface AccelerationReport {
  readonly tier: 'stock' | 'pure' | 'native';
  /** Why this tier. */
  readonly reason: string;
  /** Threads of the heavy kernels (OpenBLAS threads in the native tier; 1 for wasm without threads). */
  readonly threads: number;
  /** The installed overrides. */
  readonly overrides: readonly OverrideHandle[];
}

const MATMULS = ['BatchMatMul', '_FusedMatMul'] as const;

/**
 * Install the kernel overrides of the requested tier on the wasm backend (removing any installed before).
 * The wasm backend must be registered and initialized (`await tf.setBackend('wasm')`).
 * @param options - tier, threads, warning sink
 * @returns the tier installed and why
 * @throws {@link BackendError} when the active backend is not wasm
 * @example
 * ```ts
 * await tf.setBackend('wasm');
 * const { tier, reason } = await installAcceleration();
 * ```
 */
export async function installAcceleration(options: AccelerationOptions = {}): Promise<AccelerationReport> {
  if (tf.getBackend() !== 'wasm') {
    throw new BackendError(`acceleration needs the wasm backend active, but the backend is "${tf.getBackend()}": call tf.setBackend('wasm') first`);
  }
  uninstallAllOverrides();
  const want = options.tier ?? 'native';
  if (want === 'stock') return { tier: 'stock', reason: 'stock kernels requested', threads: 1, overrides: [] };
  const warn = options.warn ?? console.warn;
  const overrides = MATMULS.map((k) => installKernelOverride(pureMatMulOverride(k, 'wasm'), warn));
  const pureReason = 'pure tier: transposed matmuls run as Transpose + plain wasm matmul';
  if (want === 'pure') return { tier: 'pure', reason: `${pureReason} (pure requested)`, threads: 1, overrides };
  const native = await loadNativeBlas(options.threads);
  if (!native.ok) return { tier: 'pure', reason: `${pureReason}; native tier unavailable: ${native.reason}`, threads: 1, overrides };
  for (const k of MATMULS) overrides.push(installKernelOverride(nativeMatMulOverride(k, native.blas), warn));
  return { tier: 'native', reason: `native tier: OpenBLAS sgemm on the wasm heap; ${native.note}`, threads: native.blas.getNumThreads(), overrides };
}

/** Remove every override, restoring the stock kernels. */
export function uninstallAcceleration(): void {
  uninstallAllOverrides();
}

import * as tf from '@tensorflow/tfjs';
import { installAcceleration } from '../accel/install-acceleration.js';
import { gemmAvailable } from '../accel/pure-matmul.js';
import { wasmInternals, type WasmBackendInternals } from '../accel/wasm-internals.js';
import { wasmBackend } from '../plugins/wasm-backend.js';

/**
 * For tests of the pure tier's GEMM: the wasm backend active, the pure tier installed over it (its warnings sent to
 * `warn`, e.g. a test failure), and whether the SIMD GEMM runs here.
 * @param warn - told of the tier's warnings
 * @returns whether the SIMD GEMM is available (tests of it have nothing to check otherwise)
 */
export async function installPureTier(warn: (message: string) => void): Promise<boolean> {
  await wasmBackend.setup({ tier: 'stock' });
  tf.setBackend('wasm');
  await installAcceleration({ tier: 'pure', warn });
  return gemmAvailable(tf.backend());
}

/**
 * The active backend's wasm internals (the wasm backend must be active).
 * @returns them
 */
export function activeWasm(): WasmBackendInternals {
  const be = wasmInternals(tf.backend());
  if (!be) throw new Error('the wasm backend is not active');
  return be;
}

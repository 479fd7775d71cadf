import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@vib/core';
import { installAcceleration } from '../accel/install-acceleration.js';
import type { BackendPlugin } from '../backend-plugin.js';
import { optionalImport } from '../optional-import.js';
import { nodeWasmDir } from './wasm-paths.js';

interface WasmModule {
  setWasmPaths(prefix: string): void;
}

/**
 * WebAssembly backend (tfjs-backend-wasm, SIMD) with @vib/backends' acceleration tiers: `pure`
 * (transpose-free matmuls, no native code) by default, `native` (OpenBLAS via @vib/native-blas) when built.
 */
export const wasmBackend: BackendPlugin = {
  name: 'wasm',
  description: 'WebAssembly (SIMD) backend with kernel overrides: pure JS/wasm tier, optional native OpenBLAS tier',
  priority: 60,
  environments: ['node', 'browser'],
  async isAvailable() {
    if (typeof WebAssembly !== 'object') return { available: false, reason: 'WebAssembly is not supported in this runtime' };
    const mod = await optionalImport('@tensorflow/tfjs-backend-wasm');
    return mod.ok
      ? { available: true, reason: 'WebAssembly and @tensorflow/tfjs-backend-wasm are present' }
      : { available: false, reason: `${mod.reason}: it is a dependency of @vib/backends, reinstall` };
  },
  async setup(options = {}) {
    const mod = await optionalImport<WasmModule>('@tensorflow/tfjs-backend-wasm');
    if (!mod.ok) throw new BackendError(`cannot set up wasm: ${mod.reason}`);
    if (!tf.engine().backendNames().includes('wasm')) {
      throw new BackendError('tfjs-backend-wasm loaded but registered no "wasm" backend: two copies of @tensorflow/tfjs-core? dedupe them');
    }
    const dir = await nodeWasmDir();
    // setWasmPaths must precede the backend's initialization; ignore "already initialized".
    if (dir && tf.findBackend('wasm') === null) mod.module.setWasmPaths(dir);
    if (!(await tf.setBackend('wasm'))) throw new BackendError('tf.setBackend("wasm") failed: the .wasm files could not be loaded');
    await tf.ready();
    const accel = await installAcceleration({
      ...(options.tier ? { tier: options.tier } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    });
    return { name: 'wasm', tier: accel.tier, reason: accel.reason, threads: accel.threads };
  },
};

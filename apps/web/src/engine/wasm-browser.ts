import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BackendError } from '@vib/core';
import { installAcceleration, type BackendPlugin } from '@vib/backends';

let loaded: Promise<{ getThreadsCount(): number }> | null = null;

/** Import @tensorflow/tfjs-backend-wasm (its own chunk) once and point it at the .wasm files Vite emitted. */
function loadWasm(): Promise<{ getThreadsCount(): number }> {
  loaded ??= import('@tensorflow/tfjs-backend-wasm').then((wasm) => {
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
    });
    return wasm;
  });
  return loaded;
}

/**
 * WebAssembly plus @vib/backends' pure-JS matmul tier, loaded on demand. The threaded build runs only
 * when the page is cross-origin isolated (COOP/COEP headers: `vite preview` and docs/hosting send them).
 */
export const wasmBrowser: BackendPlugin = {
  name: 'wasm',
  description: 'WebAssembly (SIMD; threaded when cross-origin isolated), loaded on demand',
  priority: 60,
  environments: ['browser'],
  async isAvailable() {
    return typeof WebAssembly === 'object'
      ? { available: true, reason: 'WebAssembly is supported' }
      : { available: false, reason: 'this browser has no WebAssembly' };
  },
  async setup() {
    const wasm = await loadWasm();
    if (!(await tf.setBackend('wasm'))) throw new BackendError('tf.setBackend("wasm") failed: the .wasm files could not be loaded');
    await tf.ready();
    const isolated = globalThis.crossOriginIsolated === true;
    // the threads tfjs-wasm's pool actually has (tfjs takes half the logical cores, at most 8)
    const threads = isolated ? Math.max(1, wasm.getThreadsCount()) : 1;
    const where = isolated ? `threaded build, ${threads} thread${threads === 1 ? '' : 's'} (cross-origin isolated)` : 'single-threaded (the page is not cross-origin isolated)';
    try {
      const accel = await installAcceleration({ tier: 'pure' });
      return { name: 'wasm', tier: accel.tier, reason: `${where}; ${accel.reason}`, threads };
    } catch (error) {
      return { name: 'wasm', tier: 'stock', reason: `${where}; stock kernels (${error instanceof Error ? error.message : String(error)})`, threads };
    }
  },
};

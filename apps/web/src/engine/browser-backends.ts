import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BackendError, type Registry } from '@vib/core';
import { installAcceleration, registerBackends, selectBackend, type BackendPlugin, type SelectedBackend } from '@vib/backends';

import type { BrowserBackendName } from './browser-backends-names.js';

let wasmPathsSet = false;

/**
 * WebGPU through the statically bundled @tensorflow/tfjs-backend-webgpu. (@vib/backends loads it by a
 * runtime `import(name)`, which a browser cannot resolve for a bare package name, so the app bundles it.)
 */
const webgpuBrowser: BackendPlugin = {
  name: 'webgpu',
  description: 'WebGPU backend (bundled with the web demo)',
  priority: 90,
  environments: ['browser'],
  async isAvailable() {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return { available: false, reason: 'navigator.gpu is absent: this browser has no WebGPU' };
    const adapter = await gpu.requestAdapter().catch(() => null);
    return adapter ? { available: true, reason: 'a WebGPU adapter is present' } : { available: false, reason: 'WebGPU offers no adapter here' };
  },
  async setup() {
    if (!(await tf.setBackend('webgpu'))) throw new BackendError('tf.setBackend("webgpu") failed');
    await tf.ready();
    return { name: 'webgpu', tier: 'library', reason: 'a WebGPU adapter is present', threads: 1 };
  },
};

/** WebAssembly with the .wasm files that Vite emits into the build, plus @vib/backends' pure-JS matmul tier. */
const wasmBrowser: BackendPlugin = {
  name: 'wasm',
  description: 'WebAssembly (SIMD) backend, .wasm files served with the page',
  priority: 60,
  environments: ['browser'],
  async isAvailable() {
    return typeof WebAssembly === 'object'
      ? { available: true, reason: 'WebAssembly is supported' }
      : { available: false, reason: 'this browser has no WebAssembly' };
  },
  async setup() {
    if (!wasmPathsSet) {
      setWasmPaths({
        'tfjs-backend-wasm.wasm': wasmPlain,
        'tfjs-backend-wasm-simd.wasm': wasmSimd,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
      });
      wasmPathsSet = true;
    }
    if (!(await tf.setBackend('wasm'))) throw new BackendError('tf.setBackend("wasm") failed: the .wasm files could not be loaded');
    await tf.ready();
    try {
      const accel = await installAcceleration({ tier: 'pure' });
      return { name: 'wasm', tier: accel.tier, reason: accel.reason, threads: accel.threads };
    } catch (error) {
      return { name: 'wasm', tier: 'stock', reason: `stock kernels (${error instanceof Error ? error.message : String(error)})`, threads: 1 };
    }
  },
};

/**
 * Register the browser backends: @vib/backends' plugins (unless already there), with webgpu and wasm
 * replaced by the versions bundled with the page.
 * @param registry - the app's registry
 */
export function registerBrowserBackends(registry: Registry): void {
  if (!registry.has('backend', 'cpu')) registerBackends(registry);
  registry.register('backend', webgpuBrowser, { override: true });
  registry.register('backend', wasmBrowser, { override: true });
}

/**
 * Switch to a backend, falling back by priority when it is missing or fails.
 * @param registry - registry with backend plugins
 * @param preferred - the backend asked for
 * @returns the backend actually in use and why
 * @throws {@link BackendError} when none can be set up
 */
export async function useBackend(registry: Registry, preferred: BrowserBackendName): Promise<SelectedBackend> {
  return selectBackend(registry, { preferred, environment: 'browser' });
}

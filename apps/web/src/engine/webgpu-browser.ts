import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@vib/core';
import type { BackendPlugin } from '@vib/backends';

/**
 * WebGPU through @tensorflow/tfjs-backend-webgpu, imported only when chosen (its own chunk).
 * (@vib/backends imports it by a runtime `import(name)`, which a browser cannot resolve for a bare
 * package name; here Vite sees the literal specifier and splits it out.)
 */
export const webgpuBrowser: BackendPlugin = {
  name: 'webgpu',
  description: 'WebGPU backend (loaded on demand)',
  priority: 90,
  environments: ['browser'],
  async isAvailable() {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return { available: false, reason: 'navigator.gpu is absent: this browser has no WebGPU (or the page is not a secure context)' };
    const adapter = await gpu.requestAdapter().catch(() => null);
    return adapter ? { available: true, reason: 'a WebGPU adapter is present' } : { available: false, reason: 'WebGPU offers no adapter here' };
  },
  async setup() {
    const available = await this.isAvailable();
    if (!available.available) throw new BackendError(`backend "webgpu" is unavailable: ${available.reason}`, { details: { backend: 'webgpu' } });
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) throw new BackendError('tf.setBackend("webgpu") failed although an adapter is present');
    await tf.ready();
    return { name: 'webgpu', tier: 'library', reason: available.reason, threads: 1 };
  },
};

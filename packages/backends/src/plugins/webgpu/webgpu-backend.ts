import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@vib/core';
import type { Availability, BackendPlugin, ProbeOptions } from '../../backend-plugin.js';
import { detectEnvironment } from '../../environment.js';
import { optionalImport } from '../../optional-import.js';
import { describeAdapter } from './adapter-summary.js';
import { probeWebGpu } from './probe-adapter.js';
import { installWebGpuAdam } from './webgpu-adam.js';
import { registerWebGpuFusedKernels } from './webgpu-fused.js';
import { providedWebGpuPackage, registerWebGpuFactory, type WebGpuPackage } from './webgpu-package.js';

const PACKAGE = '@tensorflow/tfjs-backend-webgpu';

/** Whether tfjs-backend-webgpu can be loaded, without loading it (loading registers it with tfjs). */
async function packageProblem(): Promise<string | null> {
  if (tf.findBackendFactory('webgpu') !== null || providedWebGpuPackage() !== undefined) return null;
  if (detectEnvironment() === 'browser') return null; // resolved at setup: a bundled app registers it itself
  try {
    const { createRequire } = await import('node:module');
    createRequire(import.meta.url).resolve(PACKAGE);
    return null;
  } catch {
    return `${PACKAGE} is not installed: it is an optional dependency of @vib/backends, reinstall with optional dependencies`;
  }
}

async function check(options: ProbeOptions = {}): Promise<Availability> {
  const probe = await probeWebGpu();
  if (probe.adapter === null) return { available: false, reason: probe.reason };
  const named = `${describeAdapter(probe.adapter)} ${probe.reason}`;
  const problem = await packageProblem();
  if (problem !== null) return { available: false, reason: `${named}, but ${problem}`, adapter: probe.adapter };
  if (probe.adapter.software && options.requested !== true) {
    return {
      available: false,
      reason: `${named}: never chosen automatically (a CPU emulation of a GPU, slower than wasm; for tests); --backend webgpu uses it`,
      adapter: probe.adapter,
    };
  }
  const why = probe.adapter.software ? 'asked for by name' : 'a hardware GPU';
  return { available: true, reason: `${named}: ${why}`, adapter: probe.adapter };
}

/**
 * WebGPU backend (@tensorflow/tfjs-backend-webgpu, an optional dependency). In a browser it uses
 * `navigator.gpu`; in Node, Dawn's binding (npm `webgpu`, an optional dependency) through the system's
 * Vulkan (Linux), Metal (macOS) or D3D12 (Windows) driver. Automatic selection takes it only on a hardware
 * adapter; a software one (SwiftShader, lavapipe) is used only when asked for by name (`--backend webgpu`).
 */
export const webgpuBackend: BackendPlugin = {
  name: 'webgpu',
  description: 'WebGPU backend (browser navigator.gpu, or Dawn in Node; optional @tensorflow/tfjs-backend-webgpu and webgpu)',
  priority: 90,
  environments: ['node', 'browser'],
  isAvailable: check,
  async setup(options = {}) {
    const a = await check({ requested: options.requested === true });
    if (!a.available) throw new BackendError(`backend "webgpu" is unavailable: ${a.reason}`, { details: { backend: 'webgpu' } });
    if (tf.findBackendFactory('webgpu') === null) {
      const given = providedWebGpuPackage();
      const mod = given === undefined ? await optionalImport<WebGpuPackage>(PACKAGE) : { ok: true as const, module: given };
      if (!mod.ok) {
        throw new BackendError(
          `backend "webgpu" is unavailable: ${mod.reason}: install ${PACKAGE}@4.22.0 beside @tensorflow/tfjs (in a bundle: provideWebGpuPackage(await import('${PACKAGE}')) before setup)`,
        );
      }
      // a package evaluated before navigator.gpu existed (a bundle, in Node) registered no backend: register it now
      if (tf.findBackendFactory('webgpu') === null) registerWebGpuFactory(mod.module);
    }
    if (!(await tf.setBackend('webgpu'))) throw new BackendError(`tf.setBackend("webgpu") failed on the ${a.reason.split(' via ')[0]}`);
    await tf.ready();
    installWebGpuAdam();
    registerWebGpuFusedKernels();
    return { name: 'webgpu', tier: 'library', reason: a.reason, threads: 1, ...(a.adapter ? { adapter: a.adapter } : {}) };
  },
};

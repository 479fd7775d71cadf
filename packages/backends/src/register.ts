import type { Registry } from '@vib/core';
import { BACKEND_SHAPE, type BackendPlugin } from './backend-plugin.js';
import { cpuBackend, tensorflowBackend, tensorflowGpuBackend, webglBackend } from './plugins/library-backends.js';
import { webgpuBackend } from './plugins/webgpu/webgpu-backend.js';
import { wasmBackend } from './plugins/wasm-backend.js';

/** The built-in backend plugins, highest priority first. */
export const builtinBackends: readonly BackendPlugin[] = [tensorflowGpuBackend, webgpuBackend, tensorflowBackend, webglBackend, wasmBackend, cpuBackend];

/**
 * Register the built-in backend plugins (kind `backend`). Loads nothing and selects nothing.
 * @param registry - the registry to add to
 * @throws {@link DuplicatePluginError} when one of the names is taken
 * @example
 * ```ts
 * const registry = createRegistry();
 * registerBackends(registry);
 * registry.names('backend'); // ['tensorflow-gpu', 'webgpu', 'tensorflow', 'webgl', 'wasm', 'cpu']
 * ```
 */
export function registerBackends(registry: Registry): void {
  registry.defineKind('backend', BACKEND_SHAPE);
  for (const plugin of builtinBackends) registry.register('backend', plugin);
}

import * as tf from '@tensorflow/tfjs';
import { BackendError, ConfigError } from '@vib/core';

/** The constructor of @tensorflow/tfjs-backend-webgpu's backend class. */
export interface WebGpuBackendClass {
  /**
   * @param device - the GPUDevice the backend runs on
   * @param adapterInfo - the adapter's info, where the browser or Dawn gives it
   */
  new (device: unknown, adapterInfo?: unknown): tf.KernelBackend;
}

/** The part of @tensorflow/tfjs-backend-webgpu's module used here: its backend class. */
export interface WebGpuPackage {
  /** The backend class the package exports. */
  readonly WebGPUBackend: WebGpuBackendClass;
}

/** What `navigator.gpu.requestAdapter` gives, as far as the factory reads it. */
interface AdapterLike {
  readonly features: { has(name: string): boolean };
  readonly limits: Record<string, number>;
  readonly info?: unknown;
  requestAdapterInfo?(): Promise<unknown>;
  requestDevice(descriptor: { requiredFeatures: string[]; requiredLimits: Record<string, number> }): Promise<unknown>;
}

let provided: WebGpuPackage | undefined;

/**
 * Hand `@vib/backends` the @tensorflow/tfjs-backend-webgpu module an app bundles, for the `webgpu` backend's setup
 * to use instead of importing the package by name (which a bundle may not have on disk). A bundle evaluates the
 * package at start, before any `navigator.gpu` exists in Node, so the package registers no backend then; setup
 * registers it once Dawn's `navigator.gpu` is in place. Unbundled apps and browsers need not call this.
 * @param module - the module namespace: `import * as webgpu from '@tensorflow/tfjs-backend-webgpu'`
 * @throws {@link ConfigError} when `module` has no `WebGPUBackend` class
 * @example
 * ```ts
 * // in the app's entry, with `import * as webgpu from '@tensorflow/tfjs-backend-webgpu'`:
 * provideWebGpuPackage(webgpu); // then selectBackend(registry, { preferred: 'webgpu' }) as usual
 * ```
 */
export function provideWebGpuPackage(module: unknown): void {
  const cls = (module as { WebGPUBackend?: unknown } | null | undefined)?.WebGPUBackend;
  if (typeof cls !== 'function') {
    throw new ConfigError(
      `provideWebGpuPackage takes the module of @tensorflow/tfjs-backend-webgpu (import * as webgpu from '@tensorflow/tfjs-backend-webgpu'), got ${module === null ? 'null' : typeof module} without a WebGPUBackend class`,
      { details: { field: 'module' } },
    );
  }
  provided = module as WebGpuPackage;
}

/** The module given to {@link provideWebGpuPackage}, if any. */
export function providedWebGpuPackage(): WebGpuPackage | undefined {
  return provided;
}

/**
 * Register tfjs's `webgpu` backend from a loaded @tensorflow/tfjs-backend-webgpu where the package did not at its
 * import (no `navigator.gpu` then). The factory asks `navigator.gpu` for an adapter as the package does: the
 * preferred power, the features the package uses where offered, and the adapter's own limits for the ones it sizes
 * its programs by.
 * @param pkg - the loaded package
 * @throws {@link BackendError} when the package's kernels went to another copy of @tensorflow/tfjs-core
 */
export function registerWebGpuFactory(pkg: WebGpuPackage): void {
  if (tf.getKernel('Add', 'webgpu') === undefined) {
    throw new BackendError(
      '@tensorflow/tfjs-backend-webgpu registered its kernels with another copy of @tensorflow/tfjs-core than @vib/backends uses: dedupe them (one @tensorflow/tfjs in the app or bundle)',
      { details: { backend: 'webgpu' } },
    );
  }
  tf.registerBackend(
    'webgpu',
    async () => {
      const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(o: object): Promise<AdapterLike | null> } } }).navigator?.gpu;
      const adapter = await gpu?.requestAdapter({ powerPreference: tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance' });
      if (!adapter) throw new BackendError('navigator.gpu offered no WebGPU adapter when the webgpu backend started', { details: { backend: 'webgpu' } });
      const requiredFeatures = ['timestamp-query', 'bgra8unorm-storage'].filter((f) => adapter.features.has(f));
      const limits = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'];
      const requiredLimits = Object.fromEntries(limits.map((l) => [l, adapter.limits[l] as number]));
      const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
      const info = adapter.info ?? (await adapter.requestAdapterInfo?.());
      return new pkg.WebGPUBackend(device, info);
    },
    3,
  );
}

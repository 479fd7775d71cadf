import type { PluginBase, PluginShape } from '@vib/core';
import type { GpuAdapterSummary } from './plugins/webgpu/adapter-summary.js';

/** Where code runs. */
export type Environment = 'node' | 'browser';

/**
 * Acceleration tier of a backend once set up.
 * - `stock`: TensorFlow.js kernels as shipped
 * - `pure`: @vib/backends' JavaScript/wasm kernel overrides (no native dependency)
 * - `native`: the pure tier plus OpenBLAS kernels from the optional `@vib/native-blas` addon
 * - `library`: the backend is a native library itself (libtensorflow, CUDA)
 */
export type BackendTier = 'stock' | 'pure' | 'native' | 'library';

/** Whether a backend can be used here, and why not. */
export interface Availability {
  /** True when `setup()` is expected to succeed. */
  readonly available: boolean;
  /** Why (not): a sentence a user can act on. */
  readonly reason: string;
  /** The GPU adapter found, for GPU backends that probe one (webgpu). */
  readonly adapter?: GpuAdapterSummary;
}

/** Options for {@link BackendPlugin.isAvailable}. */
export interface ProbeOptions {
  /**
   * True when the user asked for this backend by name (`--backend`): a backend may then accept what it
   * would not pick on its own (webgpu: a software adapter such as SwiftShader).
   */
  readonly requested?: boolean;
}

/** Options for {@link BackendPlugin.setup}. */
export interface BackendSetupOptions extends ProbeOptions {
  /** Highest acceleration tier to install (wasm only); default: the best available. */
  readonly tier?: 'stock' | 'pure' | 'native';
  /** Thread count for native kernels (the addon's pool); default: OPENBLAS_NUM_THREADS, else the cores. */
  readonly threads?: number;
  /**
   * Where the browser fetches tfjs-backend-wasm's .wasm files: a prefix ending in `/`, or each file's own URL
   * (as a bundler emits them, hashed); Node finds them itself.
   */
  readonly wasmPaths?: WasmPaths;
}

/** tfjs-backend-wasm 4.22's binaries: plain, SIMD, and threaded SIMD. */
export type WasmFileName = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

/** A URL prefix of tfjs-backend-wasm's .wasm files (ending in `/`), or the URL of each (`tf.setWasmPaths`'s two forms). */
export type WasmPaths = string | Readonly<Partial<Record<WasmFileName, string>>>;

/**
 * The URL of one of tfjs-backend-wasm's files under {@link WasmPaths}.
 * @param paths - a prefix or a map of file URLs
 * @param file - the file
 * @returns its URL, or undefined when a map lacks it
 */
export function wasmFileUrl(paths: WasmPaths, file: WasmFileName): string | undefined {
  return typeof paths === 'string' ? `${paths}${file}` : paths[file];
}

/** What {@link BackendPlugin.setup} made active. */
export interface BackendSetupResult {
  /** TensorFlow.js backend name now active (`tf.getBackend()`). */
  readonly name: string;
  /** Acceleration tier installed. */
  readonly tier: BackendTier;
  /** Why this tier (e.g. why native was skipped). */
  readonly reason: string;
  /** Threads the heavy kernels use. */
  readonly threads: number;
  /** The GPU adapter in use (webgpu). */
  readonly adapter?: GpuAdapterSummary;
}

/**
 * A backend plugin: registered under kind `backend`. Nothing is loaded or chosen at import:
 * `isAvailable()` probes, `setup()` loads (dynamic imports) and activates.
 */
export interface BackendPlugin extends PluginBase {
  /** Selection priority; higher wins. */
  readonly priority: number;
  /** Environments the backend can run in. */
  readonly environments: readonly Environment[];
  /**
   * Probe whether the backend can be used here, without activating it.
   * @param options - whether the user asked for it by name
   * @returns availability and the reason
   */
  isAvailable(options?: ProbeOptions): Promise<Availability>;
  /**
   * Load, register and activate the backend (`tf.setBackend`), installing its acceleration tier.
   * @param options - tier and threads
   * @returns what became active
   * @throws {@link BackendError} when it cannot be set up
   */
  setup(options?: BackendSetupOptions): Promise<BackendSetupResult>;
}

/** The members a backend plugin needs, checked when one is registered (see `Registry.defineKind`). */
export const BACKEND_SHAPE: PluginShape = {
  name: 'string',
  description: 'string',
  priority: 'number',
  environments: 'array',
  isAvailable: 'function',
  setup: 'function',
};

declare module '@vib/core' {
  interface PluginKindMap {
    /** TensorFlow.js backends (cpu, wasm, webgl, ...) with their probe, priority and acceleration tier. */
    backend: BackendPlugin;
  }
}

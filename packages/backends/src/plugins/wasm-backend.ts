import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@vib/core';
import { installAcceleration } from '../accel/install-acceleration.js';
import { wasmFileUrl, type BackendPlugin, type BackendSetupOptions, type WasmPaths } from '../backend-plugin.js';
import { detectEnvironment, hardwareThreads } from '../environment.js';
import { loadNativeBlas } from '../accel/load-native-blas.js';
import { useParallelNormals } from '../accel/parallel-normals.js';
import { useSimdHelper } from '../accel/simd-kernels.js';
import { wasmInternals } from '../accel/wasm-internals.js';
import { MAX_WASM_THREADS, useWasmBuild, type CreateThreadedModule, type WasmBuild } from './wasm-threads.js';
import { createThreadedModuleBrowser } from './wasm-threads-browser.js';
import { createThreadedModuleNode, threadedBuildBlocker } from './wasm-threads-node.js';
import { nodeWasmDir } from './wasm-paths.js';

interface WasmModule {
  setWasmPaths(prefixOrFileMap: WasmPaths): void;
  setThreadsCount?(n: number): void;
  getThreadsCount?(): number;
}

/** Import tfjs-backend-wasm (a dependency; a literal specifier so bundlers include it), or say why not. */
async function importWasm(): Promise<{ ok: true; module: WasmModule } | { ok: false; reason: string }> {
  try {
    return { ok: true, module: (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmModule };
  } catch (error) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-wasm failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The build to run, how to start it here, and a note when threads were possible but are not used. */
interface BuildChoice {
  readonly build: WasmBuild;
  readonly create: CreateThreadedModule;
  readonly note?: string;
}

/**
 * The wasm build to run: the threaded one wherever the pure tier does the work with more than one thread
 * (`threads`, default all cores up to {@link MAX_WASM_THREADS}): in Node, and in cross-origin isolated pages
 * (SharedArrayBuffer) given `wasmPaths`. tfjs's own registration for the stock tier (tfjs as shipped; in an
 * isolated page that is tfjs's threaded build with its own pool of half the cores) and for the native tier
 * (the native addon has its own threads).
 */
async function chooseBuild(options: BackendSetupOptions): Promise<BuildChoice> {
  const none: CreateThreadedModule = () => Promise.reject(new BackendError('no threaded build chosen'));
  const plain = (note?: string): BuildChoice => ({ build: { kind: 'plain' }, create: none, ...(note ? { note } : {}) });
  const tier = options.tier ?? 'native';
  const node = detectEnvironment() === 'node';
  if (tier === 'stock') return plain();
  if (node && tier === 'native' && (await loadNativeBlas(options.threads)).ok) return plain();
  if (!node && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
    return plain('single-threaded: the page is not cross-origin isolated (serve it with COOP/COEP headers for threads)');
  }
  const threads = Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(options.threads ?? (await hardwareThreads()))));
  if (threads <= 1) return plain();
  const build: WasmBuild = { kind: 'threaded', threads };
  if (node) {
    const blocker = threadedBuildBlocker();
    return blocker ? plain(`tfjs-wasm's threaded build not used: ${blocker}`) : { build, create: createThreadedModuleNode };
  }
  const paths = options.wasmPaths;
  if (paths === undefined || wasmFileUrl(paths, 'tfjs-backend-wasm-threaded-simd.wasm') === undefined) {
    return plain("tfjs-wasm's threaded build sized by tfjs (half the cores): give wasmPaths, with the threaded binary, to size it");
  }
  return { build, create: (t) => createThreadedModuleBrowser(t, paths) };
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
    const mod = await importWasm();
    return mod.ok
      ? { available: true, reason: 'WebAssembly and @tensorflow/tfjs-backend-wasm are present' }
      : { available: false, reason: `${mod.reason}: it is a dependency of @vib/backends, reinstall` };
  },
  async setup(options = {}) {
    const mod = await importWasm();
    if (!mod.ok) throw new BackendError(`cannot set up wasm: ${mod.reason}`);
    if (!tf.engine().backendNames().includes('wasm')) {
      throw new BackendError('tfjs-backend-wasm loaded but registered no "wasm" backend: two copies of @tensorflow/tfjs-core? dedupe them');
    }
    const choice = await chooseBuild(options);
    const build = choice.build;
    useWasmBuild(mod.module, build, choice.create);
    const dir = options.wasmPaths ?? (await nodeWasmDir());
    // setWasmPaths must precede the backend's initialization; ignore "already initialized".
    if (dir && tf.findBackend('wasm') === null) mod.module.setWasmPaths(dir);
    // the thread count of the threaded wasm build (browsers with cross-origin isolation); it too must precede initialization
    if (options.threads !== undefined && tf.findBackend('wasm') === null) mod.module.setThreadsCount?.(Math.max(1, Math.floor(options.threads)));
    if (!(await tf.setBackend('wasm'))) throw new BackendError('tf.setBackend("wasm") failed: the .wasm files could not be loaded');
    await tf.ready();
    const accel = await installAcceleration({
      ...(options.tier ? { tier: options.tier } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    });
    const threaded = accel.tier === 'pure' && build.kind === 'threaded';
    // tfjs's own registration: the pool tfjs made (its threaded build in isolated pages; -1 without threads)
    const tfjsPool = Math.max(1, mod.module.getThreadsCount?.() ?? 1);
    const note = choice.note && accel.tier === 'pure' ? `; ${choice.note}` : '';
    // helper threads, one for each thread besides the calling one, share each long GEMM, Adam update and heap
    // transpose of the SIMD module
    const be = threaded ? wasmInternals(tf.backend()) : null;
    const crew = be !== null && build.kind === 'threaded' ? await useSimdHelper(be, build.threads - 1) : undefined;
    const helpers = crew?.threads ?? 0;
    // the threads that do the work: the pure tier's calling thread and its helpers on the threaded build
    const threads = threaded ? 1 + helpers : accel.tier === 'native' ? accel.threads : tfjsPool;
    const sleeps = crew && !crew.spins ? ' (more threads than cores: they sleep between calls)' : '';
    const helper = helpers > 0 ? `; matmuls, Adam and transposes split with ${helpers === 1 ? 'a helper thread' : `${helpers} helper threads`}${sleeps}` : '';
    const wasmThreads = threaded ? `; tfjs-wasm's threaded build for its shared heap, XNNPACK kernels on the calling thread${helper}` : '';
    // vib's long normal draws (the S-sample evaluation): the native tier's own filler where it installed one, else
    // over two threads where the run has them
    const normals = accel.normalDraws ? '' : (await useParallelNormals(accel.tier === 'stock' ? 1 : threads)).on ? '; long normal draws over 2 threads' : '';
    return { name: 'wasm', tier: accel.tier, reason: `${accel.reason}${wasmThreads}${note}${normals}`, threads };
  },
};

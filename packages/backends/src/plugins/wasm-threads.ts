import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@vib/core';

/**
 * tfjs-backend-wasm's threaded SIMD build, started by @vib/backends (Node: `wasm-threads-node.ts`; browsers:
 * `wasm-threads-browser.ts`) and registered as the 'wasm' backend in place of tfjs's own registration.
 *
 * tfjs 4.22 turns wasm threads off in Node (its WASM_HAS_MULTITHREAD_SUPPORT flag answers false there), though
 * the Emscripten output of the threaded build supports Node's worker_threads; in cross-origin isolated pages it
 * runs the threaded build itself. Either way XNNPACK's thread pool is capped at half of
 * `emscripten_num_logical_cores` (it assumes two hyperthreads a core), so on 2 cores it gets 1 thread. Starting
 * the module ourselves, without patching tfjs:
 * - the module's import of `emscripten_num_logical_cores` answers twice the thread count asked for;
 * - of Emscripten's 8 prestarted workers, those beyond the pool's are terminated; in Node the pool's are
 *   unref'd, so that they do not keep a finished process alive;
 * - the pthread worker script, which ships as a string, is given to the workers as a file (Node) or a Blob
 *   URL (browsers), as tfjs does.
 *
 * Results are bitwise those of the single-threaded build: XNNPACK splits a matmul's output into tiles, and
 * each output element is summed by one thread with the same microkernel (tested in Node and in Chromium).
 *
 * The pure tier starts the module with a pool of {@link TFJS_POOL_THREADS} (the calling thread alone): it needs the
 * build for its shared heap, where the SIMD module's helper thread works beside the calling thread, not the pool's
 * threads for what it still runs through XNNPACK (small elementwise ops and softmaxes): each of those woke a
 * sleeping pool thread, which took longer than the op.
 */

/**
 * The wasm build the 'wasm' backend runs: tfjs's own registration (`plain`), or the threaded build for a tier of n
 * threads (its shared heap; tfjs's own kernels on a pool of {@link TFJS_POOL_THREADS}).
 */
export type WasmBuild = { readonly kind: 'plain' } | { readonly kind: 'threaded'; readonly threads: number };

/** The most threads a setup takes (tfjs-wasm's cap on its pool, the 8 prestarted workers). */
export const MAX_WASM_THREADS = 8;
/**
 * The pool of tfjs-wasm's own kernels on the threaded build: the calling thread only. Measured per kernel in the
 * pure tier's steps (2-core VM), pool of 2 → 1: Softmax (100×10) 228 → 18 µs a step at VIB inference; Add
 * 810 → 354, Multiply 774 → 257 and Relu 396 → under 150 µs a VIB training step. A sleeping thread took 14–140 µs to
 * wake here, longer than these ops take on one.
 */
export const TFJS_POOL_THREADS = 1;

/** The build the 'wasm' backend was last registered with by {@link useWasmBuild}. */
let active: WasmBuild = { kind: 'plain' };
/** tfjs-backend-wasm's own factory for 'wasm', kept to restore the plain build. */
let tfjsFactory: { factory: () => tf.KernelBackend | Promise<tf.KernelBackend>; priority: number } | undefined;

/** An Emscripten pthread worker (Node's worker_threads Worker, or a browser Worker without `unref`). */
export interface EmscriptenWorker {
  terminate(): void;
  unref?(): void;
}
/** The parts of the threaded Emscripten module used here. */
export interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: { unusedWorkers: EmscriptenWorker[]; runningWorkers: EmscriptenWorker[] };
  tfjs?: Record<string, unknown>;
}
/** The Emscripten factory of the threaded build (tfjs-backend-wasm's wasm-out/tfjs-backend-wasm-threaded-simd.js). */
export type ThreadedFactory = ((config: Record<string, unknown>) => Promise<ThreadedModule>) & { toString(): string };
/** Creates the threaded module with a pool of `threads` threads. */
export type CreateThreadedModule = (threads: number) => Promise<ThreadedModule>;

/**
 * The pthread worker script as a file or Blob can hold it: tfjs-backend-wasm ships it as a template-literal string,
 * whose "\n" escapes came out as newlines inside the script's own string literals; they go back to escapes.
 * @param contents - `wasmWorkerContents` of wasm-out/tfjs-backend-wasm-threaded-simd.worker.js
 * @returns the script text
 */
export function workerScript(contents: string): string {
  return contents.replace(/\n/g, '\\n');
}

/** The threaded build's compiled module, once per process (the build's bytes are the same file or URL each time). */
let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * Compile the threaded build once: a backend set up again (another tier, then back) instantiates the same module,
 * so it shares V8's optimized code. Compiled again per setup, every function restarted on V8's baseline tier, and
 * the pure VIB step took about 80 ms instead of 35–45 for its first dozen steps.
 * @param bytes - reads the build's bytes (used on the first call, or after a failed compile)
 * @returns the compiled module
 */
function compiledOnce(bytes: () => Promise<BufferSource>): Promise<WebAssembly.Module> {
  if (!compiled) {
    compiled = bytes().then((b) => WebAssembly.compile(b));
    // a failed compile is not kept: the next setup reads and compiles again
    compiled.catch(() => {
      compiled = undefined;
    });
  }
  return compiled;
}

/**
 * Start the threaded module with a pool of `threads`: its wasm is instantiated with the import answering the
 * core count replaced, and the prestarted workers the pool does not need are terminated before Emscripten loads
 * them.
 * @param factory - the Emscripten factory
 * @param config - the module config (how to find the worker and main scripts); Emscripten adds `PThread` to it
 * @param bytes - the wasm binary
 * @param threads - pool threads
 * @returns the module, its workers started
 * @throws {@link BackendError} when the module aborts
 */
export function startThreadedModule(
  factory: ThreadedFactory,
  config: Record<string, unknown>,
  bytes: () => Promise<BufferSource>,
  threads: number,
): Promise<ThreadedModule> {
  return new Promise<ThreadedModule>((resolve, reject) => {
    config['onAbort'] = (why: unknown) => reject(new BackendError(`the threaded wasm build failed to start: ${String(why)}`));
    config['instantiateWasm'] = (imports: { env: Record<string, unknown> }, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
      imports.env['emscripten_num_logical_cores'] = () => 2 * threads;
      compiledOnce(bytes)
        .then(async (module) => ({ instance: await WebAssembly.instantiate(module, imports as WebAssembly.Imports), module }))
        .then(({ instance, module }) => {
          // the pool needs threads − 1 workers (the calling thread is one of its threads)
          for (const w of (config['PThread'] as ThreadedModule['PThread']).unusedWorkers.splice(threads - 1)) w.terminate();
          receive(instance, module);
        }, (error: unknown) => (config['onAbort'] as (e: unknown) => void)(error));
      return {};
    };
    factory(config).then(resolve, reject);
  });
}

interface WasmExports {
  BackendWasm: new (wasm: ThreadedModule) => tf.KernelBackend;
  setThreadsCount(n: number): void;
}

/** A backend factory for the threaded build (its pool {@link TFJS_POOL_THREADS}), as tfjs-backend-wasm's own one builds its backend. */
function threadedFactory(wasm: WasmExports, create: CreateThreadedModule): () => Promise<tf.KernelBackend> {
  return async () => {
    // the module starts with one pthread worker, which the pool of TFJS_POOL_THREADS = 1 leaves idle (started with
    // none, the module's start did not finish here: its tests timed out)
    const module = await create(2);
    const fn = (name: string, ret: string | null, args: string[]): ((...a: number[]) => number) => module.cwrap(name, ret, args);
    module.tfjs = {
      init: fn('init', null, []),
      initWithThreadsCount: fn('init_with_threads_count', null, ['number']),
      getThreadsCount: fn('get_threads_count', 'number', []),
      registerTensor: fn('register_tensor', null, ['number', 'number', 'number']),
      disposeData: fn('dispose_data', null, ['number']),
      dispose: fn('dispose', null, []),
    };
    wasm.setThreadsCount(TFJS_POOL_THREADS);
    const backend = new wasm.BackendWasm(module);
    for (const w of module.PThread.runningWorkers) w.unref?.();
    return backend;
  };
}

/**
 * Make the 'wasm' backend run the given build, re-registering it (and so disposing its tensors) only when the
 * build changes. Call before `tf.setBackend('wasm')`.
 * @param wasm - the tfjs-backend-wasm module
 * @param build - the build wanted
 * @param create - how to create the threaded module here (Node or browser)
 * @returns whether the backend was re-registered
 */
export function useWasmBuild(wasm: unknown, build: WasmBuild, create: CreateThreadedModule): boolean {
  const same = build.kind === active.kind && (build.kind === 'plain' || (active.kind === 'threaded' && active.threads === build.threads));
  if (same) return false;
  const registry = (tf.engine() as unknown as { registryFactory: Record<string, typeof tfjsFactory> }).registryFactory;
  if (active.kind === 'plain') tfjsFactory = registry['wasm'];
  if (!tfjsFactory) throw new BackendError('tfjs-backend-wasm registered no "wasm" backend: two copies of @tensorflow/tfjs-core? dedupe them');
  if (registry['wasm']) tf.removeBackend('wasm');
  const factory = build.kind === 'plain' ? tfjsFactory.factory : threadedFactory(wasm as WasmExports, create);
  tf.registerBackend('wasm', factory, tfjsFactory.priority);
  active = build;
  return true;
}

/**
 * The build the 'wasm' backend runs now (as last chosen by {@link useWasmBuild}).
 * @returns plain or threaded with its thread count
 */
export function activeWasmBuild(): WasmBuild {
  return active;
}

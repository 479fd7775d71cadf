import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@vib/core';

/**
 * tfjs-backend-wasm's threaded SIMD build, run in Node.
 *
 * tfjs 4.22 turns wasm threads off in Node (its WASM_HAS_MULTITHREAD_SUPPORT flag answers false there), though
 * the Emscripten output of the threaded build supports Node's worker_threads. Three things stand in the way,
 * and this module handles each without patching tfjs:
 * - the pthread worker script ships as a string (`wasmWorkerContents`) that tfjs turns into a Blob URL, which
 *   Node's Worker cannot load: it is written to a private temporary directory (mode 0700), read by the workers
 *   as they start, and removed once the module is up;
 * - XNNPACK's thread pool is capped at half of `emscripten_num_logical_cores` (it assumes two hyperthreads a
 *   core), so on 2 cores it gets 1 thread: the module's import of that function answers twice the thread
 *   count asked for;
 * - Emscripten prestarts 8 workers: those beyond the pool's are terminated, and the pool's are unref'd so
 *   that they do not keep the process alive after the work is done.
 *
 * Results are bitwise those of the single-threaded build: XNNPACK splits a matmul's output into tiles, and
 * each output element is summed by one thread with the same microkernel (tested).
 */

/** The wasm build a Node process runs: tfjs's own registration (`plain`), or the threaded build with n threads. */
export type NodeWasmBuild = { readonly kind: 'plain' } | { readonly kind: 'threaded'; readonly threads: number };

/** The most threads the threaded build's pool takes (tfjs-wasm caps it at 8, the prestarted workers). */
export const MAX_WASM_THREADS = 8;

/** The build the 'wasm' backend was last registered with by {@link useNodeWasmBuild}. */
let active: NodeWasmBuild = { kind: 'plain' };
/** tfjs-backend-wasm's own factory for 'wasm', kept to restore the plain build. */
let tfjsFactory: { factory: () => tf.KernelBackend | Promise<tf.KernelBackend>; priority: number } | undefined;

interface EmscriptenWorker {
  terminate(): void;
  unref(): void;
}
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: { unusedWorkers: EmscriptenWorker[]; runningWorkers: EmscriptenWorker[] };
  tfjs?: Record<string, unknown>;
}
type ThreadedFactory = (config: Record<string, unknown>) => Promise<ThreadedModule>;
interface WasmExports {
  BackendWasm: new (wasm: ThreadedModule) => tf.KernelBackend;
  setThreadsCount(n: number): void;
}

/** Create the threaded module with `threads` pool threads (Node only). */
async function createThreadedModule(threads: number): Promise<ThreadedModule> {
  const [{ createRequire }, fs, os, path] = await Promise.all([import('node:module'), import('node:fs'), import('node:os'), import('node:path')]);
  const require = createRequire(import.meta.url);
  const out = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '..', 'wasm-out');
  const script = path.join(out, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(script) as ThreadedFactory;
  const { wasmWorkerContents } = require(path.join(out, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vib-wasm-threads-'));
  const worker = path.join(dir, 'pthread-worker.cjs');
  // the string's "\n" escapes were unescaped by its template literal; a script needs them back as escapes
  fs.writeFileSync(worker, wasmWorkerContents.replace(/\n/g, '\\n'), { mode: 0o600 });
  const config: Record<string, unknown> = {
    locateFile: (file: string) => (file.endsWith('.worker.js') ? worker : path.join(out, file)),
    mainScriptUrlOrBlob: script,
    instantiateWasm(imports: { env: Record<string, unknown> }, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      imports.env['emscripten_num_logical_cores'] = () => 2 * threads;
      WebAssembly.instantiate(fs.readFileSync(path.join(out, 'tfjs-backend-wasm-threaded-simd.wasm')), imports as WebAssembly.Imports).then(
        ({ instance, module }) => {
          // the pool needs threads − 1 workers (the calling thread is one of its threads)
          for (const w of (config['PThread'] as ThreadedModule['PThread']).unusedWorkers.splice(threads - 1)) w.terminate();
          receive(instance, module);
        },
        (error: unknown) => (config['onAbort'] as (e: unknown) => void)(error),
      );
      return {};
    },
  };
  try {
    return await new Promise<ThreadedModule>((resolve, reject) => {
      config['onAbort'] = (why: unknown) => reject(new BackendError(`the threaded wasm build failed to start: ${String(why)}`));
      factory(config).then(resolve, reject);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A backend factory for the threaded build, as tfjs-backend-wasm's own one builds its backend. */
function threadedFactory(wasm: WasmExports, threads: number): () => Promise<tf.KernelBackend> {
  return async () => {
    const module = await createThreadedModule(threads);
    const fn = (name: string, ret: string | null, args: string[]): ((...a: number[]) => number) => module.cwrap(name, ret, args);
    module.tfjs = {
      init: fn('init', null, []),
      initWithThreadsCount: fn('init_with_threads_count', null, ['number']),
      getThreadsCount: fn('get_threads_count', 'number', []),
      registerTensor: fn('register_tensor', null, ['number', 'number', 'number']),
      disposeData: fn('dispose_data', null, ['number']),
      dispose: fn('dispose', null, []),
    };
    wasm.setThreadsCount(threads);
    const backend = new wasm.BackendWasm(module);
    for (const w of module.PThread.runningWorkers) w.unref();
    return backend;
  };
}

/**
 * Why this Node process cannot run the threaded build, if it cannot: its pthread workers inherit the process's
 * Node options, and `--input-type` (valid only with `--eval` or standard input) stops a worker from starting.
 * @returns the reason, or undefined
 */
export function threadedBuildBlocker(): string | undefined {
  const argv = (globalThis as { process?: { execArgv?: string[] } }).process?.execArgv ?? [];
  const flag = argv.find((a) => a.startsWith('--input-type'));
  return flag ? `${flag} is set, and the threaded build's workers would inherit it` : undefined;
}

/**
 * Make the 'wasm' backend run the given build, re-registering it (and so disposing its tensors) only when the
 * build changes. Call before `tf.setBackend('wasm')`. Node only.
 * @param wasm - the tfjs-backend-wasm module
 * @param build - the build wanted
 * @returns whether the backend was re-registered
 */
export function useNodeWasmBuild(wasm: unknown, build: NodeWasmBuild): boolean {
  const same = build.kind === active.kind && (build.kind === 'plain' || (active.kind === 'threaded' && active.threads === build.threads));
  if (same) return false;
  const registry = (tf.engine() as unknown as { registryFactory: Record<string, typeof tfjsFactory> }).registryFactory;
  if (active.kind === 'plain') tfjsFactory = registry['wasm'];
  if (!tfjsFactory) throw new BackendError('tfjs-backend-wasm registered no "wasm" backend: two copies of @tensorflow/tfjs-core? dedupe them');
  if (registry['wasm']) tf.removeBackend('wasm');
  const factory = build.kind === 'plain' ? tfjsFactory.factory : threadedFactory(wasm as WasmExports, build.threads);
  tf.registerBackend('wasm', factory, tfjsFactory.priority);
  active = build;
  return true;
}

/**
 * The build the 'wasm' backend runs now (as last chosen by {@link useNodeWasmBuild}).
 * @returns plain or threaded with its thread count
 */
export function activeNodeWasmBuild(): NodeWasmBuild {
  return active;
}

import { BackendError } from '@vib/core';
import { wasmFileUrl, type WasmPaths } from '../backend-plugin.js';
import { startThreadedModule, workerScript, type ThreadedFactory, type ThreadedModule } from './wasm-threads.js';

/**
 * Create tfjs-wasm's threaded module with a pool of `threads` in a cross-origin isolated page (see
 * `wasm-threads.ts`), as tfjs's own browser start does: the worker script and the main script go to the workers
 * as Blob URLs, and the binary is fetched from its URL under `paths`.
 * @param threads - pool threads, the calling thread included
 * @param paths - where tfjs-backend-wasm's .wasm files are (the plugin's `wasmPaths`)
 * @returns the module, its workers started
 */
export async function createThreadedModuleBrowser(threads: number, paths: WasmPaths): Promise<ThreadedModule> {
  const binary = wasmFileUrl(paths, 'tfjs-backend-wasm-threaded-simd.wasm');
  if (binary === undefined) throw new BackendError('wasmPaths has no URL for tfjs-backend-wasm-threaded-simd.wasm: add it, or give a prefix');
  const [main, worker] = await Promise.all([
    import('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'),
    // @ts-expect-error -- tfjs-backend-wasm ships its pthread worker script (a CommonJS string export) without types
    import('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js'),
  ]);
  const factory = ((main as { default?: unknown }).default ?? main) as ThreadedFactory;
  const exported = worker as { default?: { wasmWorkerContents?: string }; wasmWorkerContents?: string };
  const contents = exported.default?.wasmWorkerContents ?? exported.wasmWorkerContents;
  if (typeof contents !== 'string') throw new BackendError('tfjs-backend-wasm\'s threaded worker script has no wasmWorkerContents export: is @tensorflow/tfjs-backend-wasm 4.22?');
  const workerUrl = URL.createObjectURL(new Blob([workerScript(contents)], { type: 'application/javascript' }));
  const config: Record<string, unknown> = {
    locateFile: (file: string) => (file.endsWith('.worker.js') ? workerUrl : file.endsWith('.wasm') ? binary : file),
    mainScriptUrlOrBlob: new Blob([`var WasmBackendModuleThreadedSimd = ${factory.toString()}`], { type: 'text/javascript' }),
  };
  const bytes = async (): Promise<ArrayBuffer> => {
    const response = await fetch(binary);
    if (!response.ok) throw new BackendError(`${binary}: HTTP ${response.status}; serve tfjs-backend-wasm's .wasm files there (wasmPaths)`);
    return response.arrayBuffer();
  };
  try {
    return await startThreadedModule(factory, config, bytes, threads);
  } finally {
    // the prestarted workers have loaded the script by now
    URL.revokeObjectURL(workerUrl);
  }
}

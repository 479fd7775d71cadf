import { startThreadedModule, workerScript, type ThreadedFactory, type ThreadedModule } from './wasm-threads.js';

/**
 * Create tfjs-wasm's threaded module with a pool of `threads` in Node (see `wasm-threads.ts`). The pthread worker
 * script ships as a string that tfjs turns into a Blob URL, which Node's Worker cannot load: it is written to a
 * private temporary directory (0700), read by the workers as they start, and removed once the module is up.
 * @param threads - pool threads, the calling thread included
 * @returns the module, its workers started
 */
export async function createThreadedModuleNode(threads: number): Promise<ThreadedModule> {
  const [{ createRequire }, fs, os, path] = await Promise.all([import('node:module'), import('node:fs'), import('node:os'), import('node:path')]);
  const require = createRequire(import.meta.url);
  const out = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '..', 'wasm-out');
  const script = path.join(out, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(script) as ThreadedFactory;
  const { wasmWorkerContents } = require(path.join(out, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vib-wasm-threads-'));
  const worker = path.join(dir, 'pthread-worker.cjs');
  fs.writeFileSync(worker, workerScript(wasmWorkerContents), { mode: 0o600 });
  const config: Record<string, unknown> = {
    locateFile: (file: string) => (file.endsWith('.worker.js') ? worker : path.join(out, file)),
    mainScriptUrlOrBlob: script,
  };
  try {
    return await startThreadedModule(factory, config, async () => fs.readFileSync(path.join(out, 'tfjs-backend-wasm-threaded-simd.wasm')), threads);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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


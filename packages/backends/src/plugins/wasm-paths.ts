/**
 * Directory holding tfjs-backend-wasm's .wasm files, in Node (the package's `dist/`), ending in `/`.
 * @returns the directory, or undefined in a browser (where the bundler or a CDN path serves them)
 */
export async function nodeWasmDir(): Promise<string | undefined> {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!p?.versions?.node) return undefined;
  const { createRequire } = await import('node:module');
  const { dirname } = await import('node:path');
  const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return `${dirname(main)}/`;
}

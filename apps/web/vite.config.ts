import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { mnistAsset } from './build/mnist-asset.js';

/**
 * Cross-origin isolation (COOP + COEP), which SharedArrayBuffer and so the threaded wasm backend need.
 * The dev server and `vite preview` send them; docs in README.md say how to send them from other hosts.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Resolve @vib/* packages to their TypeScript sources (the `@vib/source` export condition), so the demo
// needs no library build first. The tfjs-backend-wasm .wasm files are imported with `?url` in
// src/engine/wasm-browser.ts, so Vite copies them into dist/assets. The digits come from
// build/mnist-asset.ts as one gzipped byte file; the `mnist` package is replaced by a stub, and
// `@tensorflow/tfjs` by its core and layers without backends (src/engine/tfjs-lean.ts).
export default defineConfig({
  base: './',
  plugins: [mnistAsset()],
  resolve: {
    conditions: ['@vib/source', ...defaultClientConditions],
    alias: [
      { find: /^mnist$/, replacement: fileURLToPath(new URL('./src/engine/mnist-stub.ts', import.meta.url)) },
      // The umbrella registers the cpu and webgl backends on import; the page takes core and layers from it
      // and loads every backend on demand (src/engine/*-browser.ts).
      { find: /^@tensorflow\/tfjs$/, replacement: fileURLToPath(new URL('./src/engine/tfjs-lean.ts', import.meta.url)) },
    ],
  },
  build: { target: 'es2022', reportCompressedSize: false },
  server: { headers: ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
});

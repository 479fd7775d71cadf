import { defaultClientConditions, defineConfig } from 'vite';

// Resolve @vib/* packages to their TypeScript sources (the `@vib/source` export condition), so the demo
// needs no library build first. The tfjs-backend-wasm .wasm files are imported with `?url` in
// src/engine/browser-backends.ts, so Vite copies them into dist/assets and setWasmPaths points there.
export default defineConfig({
  base: './',
  resolve: { conditions: ['@vib/source', ...defaultClientConditions] },
  build: { target: 'es2022', chunkSizeWarningLimit: 25_000 /* the embedded MNIST digits are one lazy 21 MB chunk */, reportCompressedSize: false },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
  preview: { host: '127.0.0.1' },
});

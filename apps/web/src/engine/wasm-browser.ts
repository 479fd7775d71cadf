import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { wasmBackend, type BackendPlugin, type WasmPaths } from '@vib/backends';

/** The .wasm files as Vite emitted them (hashed names in dist/assets). */
const WASM_FILES: WasmPaths = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

/**
 * @vib/backends' wasm plugin with its pure tier, pointed at the files Vite emitted: tfjs-backend-wasm loads on
 * demand (its own chunk), and in a cross-origin isolated page (COOP/COEP headers: `vite preview` and the docs'
 * hosting notes send them) the threaded build runs with a thread per core, as in Node. The page uses the plugin
 * as any third party would, through `wasmPaths`.
 */
export const wasmBrowser: BackendPlugin = {
  ...wasmBackend,
  description: 'WebAssembly (SIMD; a thread per core when cross-origin isolated), loaded on demand',
  environments: ['browser'],
  setup: (options = {}) => wasmBackend.setup({ ...options, tier: 'pure', wasmPaths: WASM_FILES }),
};

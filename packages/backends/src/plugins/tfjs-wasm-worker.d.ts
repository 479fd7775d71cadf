// tfjs-backend-wasm ships its pthread worker script as a CommonJS string export, without types.
declare module '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js' {
  export const wasmWorkerContents: string;
}

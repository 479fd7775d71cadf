// What the page gets for `import * as tf from '@tensorflow/tfjs'` (vite.config.ts aliases that exact name
// here): the umbrella's ops, gradients, chained ops and layers API, without its backends. The umbrella
// also imports and registers tfjs-backend-cpu and tfjs-backend-webgl, which put both in the main chunk;
// the page's backend plugins (cpu-browser.ts, webgl-browser.ts, wasm-browser.ts, webgpu-browser.ts)
// import them on demand instead. Converter and data, which nothing here uses, are left out too.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';

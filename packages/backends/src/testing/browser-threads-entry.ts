// Browser side of src/plugins/wasm-threads-browser.test.ts: the pure tier on one thread and on tfjs-wasm's
// threaded build started by @vib/backends with 2 threads and with 3, in a cross-origin isolated page; the same
// training run and the same inference by rows on each, compared bitwise, and a small CNN on one thread and on two
// against the cpu backend's; then the stock tier (tfjs's own registration).
import * as tf from '@tensorflow/tfjs';
import { simdHelperFor } from '../accel/simd-helper.js';
import { simdKernels } from '../accel/simd-kernels.js';
import { wasmInternals } from '../accel/wasm-internals.js';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { inferByRows } from './infer-by-rows.js';
import { trainCnn } from './train-cnn.js';
import { trainThree } from './train-three.js';

(async () => {
  const out: Record<string, unknown> = { isolated: globalThis.crossOriginIsolated === true };
  try {
    // a small CNN on the cpu backend, the reference of the tiers' convolution kernels
    await tf.setBackend('cpu');
    const cnnCpu = trainCnn();
    const one = await wasmBackend.setup({ tier: 'pure', threads: 1, wasmPaths: '/wasm/' });
    const a = trainThree();
    const cnnOne = trainCnn();
    const inferOne = inferByRows();
    const two = await wasmBackend.setup({ tier: 'pure', threads: 2, wasmPaths: '/wasm/' });
    const be = wasmInternals(tf.backend());
    out['shared'] = be ? Object.prototype.toString.call(be.wasm.HEAPF32.buffer) : null;
    out['simd'] = be ? simdKernels(be) !== null : false;
    const helper = be ? simdHelperFor((be.wasm as unknown as { wasmMemory: WebAssembly.Memory }).wasmMemory) : undefined;
    const before = helper?.calls ?? -1;
    const b = trainThree();
    out['helperCalls'] = (helper?.calls ?? 0) - before;
    // the CNN on two threads: the SIMD module's field loops and pool gradient on the shared heap, its products shared
    // with the helper; bitwise the one-thread run, and within float32 rounding of cpu's
    const cnnTwo = trainCnn();
    const scale = Math.max(1, ...Array.from(cnnCpu, Math.abs));
    out['cnn'] = {
      n: cnnOne.length,
      differ: cnnOne.filter((v, i) => !Object.is(v, cnnTwo[i])).length,
      worstVsCpu: Math.max(...Array.from(cnnOne, (v, i) => Math.abs(v - (cnnCpu[i] as number)))) / scale,
    };
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
    // the inference by rows, its parts shared with the helper Web Worker
    const inferTwo = inferByRows();
    const bitsOf = (x: Float32Array[]): number[] => x.flatMap((o) => Array.from(new Uint32Array(o.buffer)));
    const [i1, i2] = [bitsOf(inferOne.outs), bitsOf(inferTwo.outs)];
    out['byRows'] = { rows: [inferOne.rows, inferTwo.rows], differ: i1.filter((v, i) => v !== i2[i]).length, n: i1.length };
    // three threads: two helper Web Workers claiming from one counter with the calling thread
    const three = await wasmBackend.setup({ tier: 'pure', threads: 3, wasmPaths: '/wasm/' });
    const be3 = wasmInternals(tf.backend());
    const crew = be3 ? simdHelperFor((be3.wasm as unknown as { wasmMemory: WebAssembly.Memory }).wasmMemory) : undefined;
    const before3 = crew?.calls ?? -1;
    const c = trainThree();
    out['threeCalls'] = (crew?.calls ?? 0) - before3;
    out['helpers'] = crew?.threads ?? 0;
    let differ3 = 0;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], c[i])) differ3++;
    const stock = await wasmBackend.setup({ tier: 'stock', threads: 2, wasmPaths: '/wasm/' });
    Object.assign(out, {
      one: { threads: one.threads, reason: one.reason },
      two: { threads: two.threads, reason: two.reason },
      three: { threads: three.threads, reason: three.reason },
      differ3,
      stock: { tier: stock.tier, threads: stock.threads },
      cores: navigator.hardwareConcurrency,
      n: a.length,
      differ,
      finite: a.every(Number.isFinite),
    });
  } catch (e) {
    out['error'] = String(e instanceof Error ? e.stack : e);
  }
  (globalThis as Record<string, unknown>)['__result'] = out;
})();

import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec } from './kernel-types.js';
import { geometryOf } from './conv-fields.js';
import { eachWindowMaximum, poolCheckInputs, poolInfoOf } from './max-pool-gradient.js';
import { simdKernels } from './simd-kernels.js';
import { heapOffset, wasmInternals } from './wasm-internals.js';

/** The native addon's `maxPool`: a max pool of B NHWC images, offsets in floats into `heap`. */
export type NativeMaxPool = (heap: Float32Array, xOff: number, yOff: number, B: number,
  H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number) => void;

/**
 * `MaxPool` on the wasm heap with tfjs's cpu kernel's numbers: per channel, each window's first value strictly
 * greater than every earlier one in row-major order from −∞, so a NaN passes over and a window of NaN or −∞ alone
 * gives −∞. tfjs-backend-wasm 4.22's kernel (XNNPACK's) gives −∞ for a whole window that holds one NaN beside
 * numbers, and 0 where −0 comes first: `tf.maxPool` of [NaN, 1, 2, 3] in a 2×2 window was −∞ there, 3 on cpu. The
 * SIMD module's pass takes each group of four channels and a loop the rest (the pure tier); with the native addon's
 * `maxPool` (the native tier), C++ loops over the addon's threads. Windows may overlap. NHWC float32 only; other
 * calls go to the stock kernel. A small MNIST CNN's first pool (100 images of 28×28×32, 2×2): 0.85 ms on the stock
 * kernel, 0.70 on the pure tier, 0.24 on the native tier (2-core Zen 4).
 * @param backendName - backend, e.g. `wasm`
 * @param native - the addon's `maxPool`, for the native tier's override
 * @returns the override spec
 */
export function maxPoolOverride(backendName: string, native?: NativeMaxPool): KernelOverrideSpec {
  return {
    kernelName: 'MaxPool',
    backendName,
    tier: native ? 'native' : 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const be = wasmInternals(args.backend);
      const x = args.inputs['x'];
      const p = be && x ? poolInfoOf(x, args.attrs) : null;
      const simd = be && !native ? simdKernels(be) : null;
      if (!be || !x || !p || (!native && !simd)) return null;
      const y = be.makeOutput(p.outShape, 'float32');
      if (p.outShape.includes(0)) return y;
      const { batchSize: B, inChannels: C } = p;
      if (native) {
        native(be.wasm.HEAPF32, heapOffset(be, x), heapOffset(be, y), B, ...geometryOf(p));
        return y;
      }
      const [x0, y0] = [heapOffset(be, x), heapOffset(be, y)];
      const from = C & ~3;
      if (from > 0) simd?.maxPool4(x0, y0, B, geometryOf(p), from);
      if (from === C) return y;
      // the last 1–3 channels
      const heap = be.wasm.HEAPF32;
      eachWindowMaximum(heap, x0, p, from, (o, _, best) => {
        for (let c = from; c < C; c++) heap[y0 + o + c] = best[c] as number;
      });
      return y;
    },
    variantKey: (args) => JSON.stringify([args.attrs['filterSize'], args.attrs['strides'], args.attrs['pad'], args.attrs['dimRoundingMode'], (args.inputs['x']?.shape[3] ?? 0) % 4]),
    checkCase: (args, random) => {
      const x = args.inputs['x'];
      if (!x || !poolInfoOf(x, args.attrs)) return null;
      // as many channels past a multiple of 4 as the call has, so the check runs the SIMD pass and the loop it runs
      return { inputs: { x: poolCheckInputs(args.attrs, 4 + (x.shape[3] as number) % 4, random).x }, attrs: args.attrs };
    },
    tolerance: { atol: 0, rtol: 0 },
  };
}

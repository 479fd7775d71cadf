import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { CheckInput, KernelArgs, KernelOverrideSpec } from './kernel-types.js';
import { simdKernels } from './simd-kernels.js';
import { heapOffset, wasmInternals } from './wasm-internals.js';
import { geometryOf } from './conv-fields.js';
import { pairOf } from './conv-shapes.js';

type Pool2DInfo = ReturnType<typeof tf.backend_util.computePool2DInfo>;

/** A max pool's description (NHWC float32 input `x`, the call's window, strides and padding), or null for other inputs. */
export function poolInfoOf(x: TensorInfo, attrs: NamedAttrMap): Pool2DInfo | null {
  if (x.dtype !== 'float32' || x.shape.length !== 4) return null;
  return tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number], attrs['filterSize'] as [number, number], attrs['strides'] as [number, number], 1,
    attrs['pad'] as 'same', attrs['dimRoundingMode'] as 'floor' | undefined,
  );
}

/** The pooling whose gradient a call computes (NHWC float32), or null for what this override leaves below. */
function poolOf(x: TensorInfo, dy: TensorInfo, attrs: NamedAttrMap): Pool2DInfo | null {
  if (dy.dtype !== 'float32' || dy.shape.length !== 4) return null;
  const info = poolInfoOf(x, attrs);
  return info && dy.shape.every((d, i) => d === info.outShape[i]) ? info : null;
}

/** Whether a pool's windows tile its input: side by side (strides equal to the window), no padding, none left over. */
function tiles(p: Pool2DInfo): boolean {
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = p;
  return sh === KH && sw === KW && p.padInfo.top === 0 && p.padInfo.left === 0 && OH * KH === H && OW * KW === W;
}

/**
 * A check case of a pool's call: its window, strides and padding on two images of `channels` channels, with a
 * window-sized margin, the input in halves so that windows hold equal maxima (the first must win).
 */
export function poolCheckInputs(attrs: NamedAttrMap, channels: number, random: () => number): { x: CheckInput; outShape: number[] } {
  const [[kh, kw], [sh, sw]] = [pairOf(attrs['filterSize'] as number | number[]), pairOf(attrs['strides'] as number | number[])];
  const xShape: [number, number, number, number] = [2, kh + 2 * sh + 1, kw + 2 * sw + 1, channels];
  const p = tf.backend_util.computePool2DInfo(xShape, [kh, kw], [sh, sw], 1, attrs['pad'] as 'same', attrs['dimRoundingMode'] as 'floor' | undefined);
  const values = Float32Array.from({ length: xShape.reduce((q, d) => q * d, 1) }, () => Math.round(random() * 2) / 2);
  return { x: { shape: xShape, values }, outShape: p.outShape };
}

/**
 * Each output position of a pool over the images at x0 (on `heap`), in order, channels [from, C): the window's first
 * value strictly greater than every earlier one in its row-major order from −∞ (the cpu kernel's maximum: a NaN
 * passes over), `best[c]`, at index `at[c]` in x (−1 where the window holds only NaN or −∞), and `visit(o, at, best)`
 * with o the position's first channel's index in the output. The JavaScript loop of the pool and of its gradient.
 */
export function eachWindowMaximum(heap: Float32Array, x0: number, p: Pool2DInfo, from: number, visit: (o: number, at: Int32Array, best: Float32Array) => void): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = p;
  const { top, left } = p.padInfo;
  const best = new Float32Array(C);
  const at = new Int32Array(C);
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const [r0, r1] = [Math.max(0, oh * sh - top), Math.min(H, oh * sh - top + KH)];
      for (let ow = 0; ow < OW; ow++, o += C) {
        const [c0, c1] = [Math.max(0, ow * sw - left), Math.min(W, ow * sw - left + KW)];
        best.fill(-Infinity);
        at.fill(-1);
        for (let r = r0; r < r1; r++) {
          for (let col = c0; col < c1; col++) {
            const base = ((b * H + r) * W + col) * C;
            for (let c = from; c < C; c++) {
              const v = heap[x0 + base + c] as number;
              if (v > (best[c] as number)) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        visit(o, at, best);
      }
    }
  }
}

/** The native addon's `maxPoolGrad`: a max pool's gradient of B NHWC images, offsets in floats into `heap`. */
export type NativeMaxPoolGrad = (heap: Float32Array, xOff: number, dyOff: number, dxOff: number, B: number,
  H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number) => void;

/**
 * `MaxPoolGrad` (a max pool's gradient) on the wasm heap: each window's maximum found again in the input, a
 * channel's first strictly greater value in the window's row-major order from −∞ (a window of NaN or −∞ alone
 * passes nothing back), and dy added there, as tfjs's cpu kernel routes it. tfjs-backend-wasm 4.22's kernel took
 * 70 ms a step for a small MNIST CNN's two 2×2 pools (100 images of 28×28×32 and 14×14×64), about as long as both
 * convolutions' forward passes; this visits each window once, a whole row of channels at a time. Windows that
 * overlap (a stride under the window) add in float64 and round once, as the cpu kernel does; others write each
 * gradient once. Either way the cpu kernel's numbers, bit for bit. NHWC float32 only; other calls go to the stock
 * kernel. Windows apart (strides at least the window) take the SIMD module's pass for each group of four channels
 * (the same numbers; a 2×2 pool's gradient over 100 images of 28×28×32 in a CNN step, 17.6 → 3.3 ms). With the native
 * addon's `maxPoolGrad` (the native tier), the same loops in C++ over the addon's threads.
 * @param backendName - backend, e.g. `wasm`
 * @param native - the addon's `maxPoolGrad`, for the native tier's override
 * @returns the override spec
 */
export function maxPoolGradientOverride(backendName: string, native?: NativeMaxPoolGrad): KernelOverrideSpec {
  return {
    kernelName: 'MaxPoolGrad',
    backendName,
    tier: native ? 'native' : 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const be = wasmInternals(args.backend);
      const { dy, input: x } = args.inputs;
      const p = be && dy && x ? poolOf(x, dy, args.attrs) : null;
      if (!be || !dy || !x || !p) return null;
      const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = p;
      const size = B * H * W * C;
      const dx = be.makeOutput(x.shape, 'float32');
      if (native) {
        native(be.wasm.HEAPF32, heapOffset(be, x), heapOffset(be, dy), heapOffset(be, dx), B, ...geometryOf(p));
        return dx;
      }
      const overlap = sh < KH || sw < KW;
      const sums = overlap ? new Float64Array(size) : null;
      // offsets after the allocation (it may grow the heap)
      const heap = be.wasm.HEAPF32;
      const [x0, dy0, dx0] = [heapOffset(be, x), heapOffset(be, dy), heapOffset(be, dx)];
      // windows apart: the SIMD module's pass for whole groups of four channels, this loop for the rest
      const simd = sums ? null : simdKernels(be);
      const from = simd ? C & ~3 : 0;
      // the SIMD pass writes every position a window covers (dy or 0), the loop only the maxima: dx is zeroed first
      // unless the SIMD pass takes every channel and the windows tile the input
      if (!sums && !(from === C && tiles(p))) heap.fill(0, dx0, dx0 + size);
      if (simd && from > 0) simd.maxPoolGrad4(x0, dy0, dx0, B, geometryOf(p), from);
      if (from === C) return dx;
      eachWindowMaximum(heap, x0, p, from, (o, at) => {
        for (let c = from; c < C; c++) {
          const i = at[c] as number;
          if (i < 0) continue;
          if (sums) sums[i] = (sums[i] as number) + (heap[dy0 + o + c] as number);
          else heap[dx0 + i] = (heap[dy0 + o + c] as number) + 0; // a −0 arrives as 0, as the cpu kernel's sum from 0 gives it
        }
      });
      if (sums) heap.set(sums, dx0);
      return dx;
    },
    variantKey: (args) => JSON.stringify([args.attrs['filterSize'], args.attrs['strides'], args.attrs['pad'], args.attrs['dimRoundingMode']]),
    checkCase: (args, random) => {
      const { dy, input: x } = args.inputs;
      if (!dy || !x || !poolOf(x, dy, args.attrs)) return null;
      // the call's window, strides and padding on two images of 3 channels, with ties and a window-sized margin
      const { x: input, outShape } = poolCheckInputs(args.attrs, 3, random);
      const around = (): CheckInput => ({ shape: outShape, values: Float32Array.from({ length: outShape.reduce((q, d) => q * d, 1) }, random) });
      return { inputs: { dy: around(), input, output: around() }, attrs: args.attrs };
    },
    tolerance: { atol: 0, rtol: 0 },
  };
}

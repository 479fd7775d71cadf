import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { CheckCase, KernelArgs, KernelOverrideSpec } from './kernel-types.js';
import { float32Output, heapOffset } from './wasm-internals.js';
import { checkConv, convVariant, depthwiseOf, filterGradientCall, inputGradientCall, type Conv2DInfo } from './conv-shapes.js';

/**
 * Visit every pair of an output position and a filter tap that lands inside the input: `at(x, g, w)` with the float
 * offsets of the input's pixel (its channels follow), of dy's position (its channels · multiplier follow) and of the
 * tap in the filter's [KH, KW, C, M] layout, in the order of images, output rows, output columns, taps.
 */
function eachTap(c: Conv2DInfo, x0: number, dy0: number, at: (x: number, g: number, w: number) => void): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CM, filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = c;
  const { top, left } = c.padInfo;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const g = dy0 + ((b * OH + oh) * OW + ow) * CM;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh + kh - top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw + kw - left;
            if (iw >= 0 && iw < W) at(x0 + ((b * H + ih) * W + iw) * C, g, (kh * KW + kw) * CM);
          }
        }
      }
    }
  }
}

/**
 * `DepthwiseConv2dNativeBackpropFilter` (a depthwise convolution's filter gradient), which tfjs-backend-wasm 4.22
 * does not have: one pass over the output positions and the filter's taps on the heap, each tap's products with dy
 * added in float64 in the order of images, rows and columns, as tfjs's cpu kernel adds them (float32 × float32 is
 * exact in float64), so cpu's numbers bit for bit; that kernel, the one below this (on copies), took 2.3 s for a 3×3
 * layer of 64 channels on 32 28×28 images. NHWC float32, dilation 1; other calls go to the kernel below.
 * @param backendName - backend, e.g. `wasm`
 * @returns the override spec
 */
export function depthwiseFilterGradientOverride(backendName: string): KernelOverrideSpec {
  const filterShapeOf = (attrs: NamedAttrMap): number[] | undefined => attrs['filterShape'] as number[] | undefined;
  return {
    kernelName: 'DepthwiseConv2dNativeBackpropFilter',
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const call = filterGradientCall(args, depthwiseOf);
      if (!call) return null;
      const { be, x, dy, c } = call;
      const [C, CM, heap] = [c.inChannels, c.outChannels, be.wasm.HEAPF32];
      const M = CM / C;
      const sums = new Float64Array(c.filterHeight * c.filterWidth * CM);
      eachTap(c, heapOffset(be, x), heapOffset(be, dy), M === 1
        ? (xi, g, w) => {
            for (let d = 0; d < CM; d++) sums[w + d] = (sums[w + d] as number) + (heap[xi + d] as number) * (heap[g + d] as number);
          }
        : (xi, g, w) => {
            for (let d = 0; d < CM; d++) sums[w + d] = (sums[w + d] as number) + (heap[xi + Math.trunc(d / M)] as number) * (heap[g + d] as number);
          });
      return float32Output(be, [c.filterHeight, c.filterWidth, C, M], sums);
    },
    variantKey: (args) => convVariant(args.attrs, filterShapeOf(args.attrs)),
    checkCase: (args, random): CheckCase | null => {
      if (!filterGradientCall(args, depthwiseOf)) return null;
      const k = checkConv(args.attrs, filterShapeOf(args.attrs) as number[], random, true);
      return { inputs: { x: k.x, dy: k.dy }, attrs: { ...args.attrs, filterShape: k.filter.shape } };
    },
    tolerance: { atol: 0, rtol: 0 },
  };
}

/**
 * `DepthwiseConv2dNativeBackpropInput` (a depthwise convolution's input gradient), which tfjs-backend-wasm 4.22 does
 * not have: dy times each filter tap added onto the input's pixels in one pass, in float64, rounded once (tfjs's cpu
 * kernel, the one below this, took 125 ms for a 3×3 layer of 64 channels on 32 28×28 images). The cpu kernel adds
 * each pixel's terms in another order, so the first-use check allows a float64 sum's rounding. NHWC float32,
 * dilation 1; other calls go to the kernel below.
 * @param backendName - backend, e.g. `wasm`
 * @returns the override spec
 */
export function depthwiseInputGradientOverride(backendName: string): KernelOverrideSpec {
  return {
    kernelName: 'DepthwiseConv2dNativeBackpropInput',
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const call = inputGradientCall(args, depthwiseOf);
      if (!call) return null;
      const { be, dy, filter, c, xShape } = call;
      const [C, CM, heap] = [c.inChannels, c.outChannels, be.wasm.HEAPF32];
      const M = CM / C;
      const x0 = 0;
      const w0 = heapOffset(be, filter);
      const sums = new Float64Array(c.batchSize * c.inHeight * c.inWidth * C);
      eachTap(c, x0, heapOffset(be, dy), M === 1
        ? (xi, g, w) => {
            for (let d = 0, f = w0 + w; d < CM; d++) sums[xi + d] = (sums[xi + d] as number) + (heap[g + d] as number) * (heap[f + d] as number);
          }
        : (xi, g, w) => {
            for (let d = 0; d < CM; d++) {
              const ci = xi + Math.trunc(d / M);
              sums[ci] = (sums[ci] as number) + (heap[g + d] as number) * (heap[w0 + w + d] as number);
            }
          });
      return float32Output(be, [...xShape], sums);
    },
    variantKey: (args) => convVariant(args.attrs, args.inputs['filter']?.shape),
    checkCase: (args, random): CheckCase | null => {
      const call = inputGradientCall(args, depthwiseOf);
      if (!call) return null;
      const k = checkConv(args.attrs, call.filter.shape, random, true);
      return { inputs: { dy: k.dy, filter: k.filter }, attrs: { ...args.attrs, inputShape: k.x.shape } };
    },
    tolerance: { atol: 1e-6, rtol: 1e-6 },
  };
}

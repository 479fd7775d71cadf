import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { CheckInput, KernelArgs, KernelOverrideSpec, SingleKernelFunc } from './kernel-types.js';
import { MATMUL_TOLERANCE } from './pure-matmul.js';
import { heapOffset, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

/** Floats of the unfolded input held at once (16 MB): a larger batch is unfolded a few images at a time. */
export const UNFOLD_FLOATS = 1 << 22;

/** tfjs's description of a convolution: shapes, strides, padding. */
export type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/** A window's or a stride's two sizes, from one number or a pair. */
export const pairOf = (v: number | readonly number[]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0] as number, v[1] as number]);

/**
 * A convolution (or, `depthwise`, a depthwise one) of x and a filter of these shapes, NHWC with dilation 1, or null
 * for what these overrides leave below (other layouts and dilations, and no images, positions or channels: the
 * kernels below give the empty or zero result).
 */
function convInfoOf(x: readonly number[], filterShape: readonly number[] | undefined, attrs: NamedAttrMap, depthwise = false): Conv2DInfo | null {
  if (x.length !== 4 || filterShape?.length !== 4) return null;
  if (attrs['dataFormat'] !== undefined && attrs['dataFormat'] !== 'NHWC') return null;
  const dilations = attrs['dilations'] as number | number[] | undefined;
  if (dilations !== undefined && !tf.backend_util.tupleValuesAreOne(dilations)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    x as [number, number, number, number], filterShape as [number, number, number, number], attrs['strides'] as [number, number], 1,
    attrs['pad'] as 'same', attrs['dimRoundingMode'] as 'floor' | undefined, depthwise, 'channelsLast',
  );
  return info.batchSize * info.outHeight * info.outWidth * info.inChannels * info.outChannels > 0 ? info : null;
}

/**
 * The convolution (or, `depthwise`, the depthwise one) whose gradient a call computes, where dy (float32) has its
 * output's shape, or null.
 */
export function convOf(x: readonly number[], dy: TensorInfo, filterShape: readonly number[] | undefined, attrs: NamedAttrMap, depthwise = false): Conv2DInfo | null {
  const info = dy.dtype === 'float32' && dy.shape.length === 4 ? convInfoOf(x, filterShape, attrs, depthwise) : null;
  const want = info && [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  return info && want && dy.shape.every((d, i) => d === want[i]) ? info : null;
}

/** Which convolution a gradient call's shapes describe (input shape, dy, filter shape, attrs), or null. */
export type ConvOf = (xShape: readonly number[], dy: TensorInfo, filterShape: readonly number[] | undefined, attrs: NamedAttrMap) => Conv2DInfo | null;

/** A depthwise convolution's {@link ConvOf}. */
export const depthwiseOf: ConvOf = (xShape, dy, filterShape, attrs) => convOf(xShape, dy, filterShape, attrs, true);

/** A filter gradient's call ({x, dy}, attrs with the filter's shape) on the wasm heap. */
export interface FilterGradientCall {
  readonly be: WasmBackendInternals;
  readonly x: TensorInfo;
  readonly dy: TensorInfo;
  readonly c: Conv2DInfo;
}

/**
 * A filter gradient's operands and convolution, where `convOf` covers the call.
 * @param args - the call
 * @param of - the convolution its shapes describe
 * @returns the call, or null (then the kernel below answers)
 */
export function filterGradientCall(args: KernelArgs, of: ConvOf): FilterGradientCall | null {
  const be = wasmInternals(args.backend);
  const { x, dy } = args.inputs;
  const c = be && x?.dtype === 'float32' && dy ? of(x.shape, dy, args.attrs['filterShape'] as number[] | undefined, args.attrs) : null;
  return be && x && dy && c ? { be, x, dy, c } : null;
}

/** An input gradient's call ({dy, filter}, attrs with the input's shape) on the wasm heap. */
export interface InputGradientCall {
  readonly be: WasmBackendInternals;
  readonly dy: TensorInfo;
  readonly filter: TensorInfo;
  readonly xShape: number[];
  readonly c: Conv2DInfo;
}

/**
 * An input gradient's operands and convolution, where `convOf` covers the call.
 * @param args - the call
 * @param of - the convolution its shapes describe
 * @returns the call, or null (then the kernel below answers)
 */
export function inputGradientCall(args: KernelArgs, of: ConvOf): InputGradientCall | null {
  const be = wasmInternals(args.backend);
  const { dy, filter } = args.inputs;
  const xShape = args.attrs['inputShape'] as number[] | undefined;
  const c = be && filter?.dtype === 'float32' && dy && xShape ? of(xShape, dy, filter.shape, args.attrs) : null;
  return be && dy && filter && xShape && c ? { be, dy, filter, xShape, c } : null;
}

/**
 * Each output position's receptive field, a filter row at a time: for output position (b, oh, ow) and filter row kh,
 * the field's filterWidth · inChannels columns at `o` are one run of the input's memory (NHWC: neighbouring columns'
 * channels follow each other). `at(o, skip, from, n, width)`: the run's first `skip` columns and those after
 * `skip + n` (of `width`) lie in the padding; the `n` between start at `from` in the input (`n` is 0 for a row in the
 * padding).
 */
function eachFieldRow(c: Conv2DInfo, b0: number, b1: number, x0: number, out: number, at: (o: number, skip: number, from: number, n: number, width: number) => void): void {
  const { inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = c;
  const { top, left } = c.padInfo;
  const width = KW * CI;
  let o = out;
  for (let b = b0; b < b1; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - left;
        const [kwLo, kwHi] = [Math.max(0, -iw0), Math.min(KW, W - iw0)];
        for (let kh = 0; kh < KH; kh++, o += width) {
          const ih = oh * sh + kh - top;
          if (ih < 0 || ih >= H || kwHi <= kwLo) at(o, width, -1, 0, width);
          else at(o, kwLo * CI, x0 + ((b * H + ih) * W + iw0 + kwLo) * CI, (kwHi - kwLo) * CI, width);
        }
      }
    }
  }
}

/**
 * Unfold images [b0, b1) of NHWC `x` (at x0) into rows of the filter's receptive fields at `out` (im2col): a row for
 * each output position (b, oh, ow), its filterHeight · filterWidth · inChannels columns in the filter's order
 * (kh, kw, ci), 0 where the field reaches into the padding.
 */
function unfold(heap: Float32Array, c: Conv2DInfo, b0: number, b1: number, x0: number, out: number): void {
  eachFieldRow(c, b0, b1, x0, out, (o, skip, from, n, width) => {
    if (skip > 0) heap.fill(0, o, o + skip);
    if (n >= 32) heap.copyWithin(o + skip, from, from + n);
    else for (let i = 0, t = o + skip; i < n; i++) heap[t + i] = heap[from + i] as number;
    if (skip + n < width) heap.fill(0, o + skip + n, o + width);
  });
}

/** Fold rows of receptive fields at `rows` back onto images [b0, b1) of NHWC `dx` (at dx0), adding where fields overlap (col2im). */
function fold(heap: Float32Array, c: Conv2DInfo, b0: number, b1: number, dx0: number, rows: number): void {
  eachFieldRow(c, b0, b1, dx0, rows, (o, skip, to, n) => {
    for (let i = 0, f = o + skip; i < n; i++) heap[to + i] = (heap[to + i] as number) + (heap[f + i] as number);
  });
}

/** Images per piece: as many as keep a piece's receptive fields within `unfoldFloats` floats (at least one). */
const imagesPerPiece = (c: Conv2DInfo, unfoldFloats: number): number =>
  Math.max(1, Math.min(c.batchSize, Math.floor(unfoldFloats / Math.max(1, c.outHeight * c.outWidth * c.filterHeight * c.filterWidth * c.inChannels))));

/**
 * dy's rows for images [b0, b1) as a [1, rows, outChannels] operand: dy itself for the whole batch, else a copy of
 * those rows (a tensor cannot start inside another's memory); `free` disposes the copy.
 */
function dyRows(be: WasmBackendInternals, dy: TensorInfo, c: Conv2DInfo, b0: number, b1: number): { readonly rows: TensorInfo; free(): void } {
  const n = (b1 - b0) * c.outHeight * c.outWidth;
  if (b0 === 0 && b1 === c.batchSize) return { rows: { dataId: dy.dataId, shape: [1, n, c.outChannels], dtype: 'float32' }, free: () => undefined };
  const part = be.makeOutput([1, n, c.outChannels], 'float32');
  const from = heapOffset(be, dy) + b0 * c.outHeight * c.outWidth * c.outChannels;
  be.wasm.HEAPF32.copyWithin(heapOffset(be, part), from, from + n * c.outChannels);
  return { rows: part, free: () => void be.disposeData(part.dataId) };
}

/**
 * A check case for a call's variant: its strides, padding and filter size, on two images of 2 channels, with 3
 * filters (or, `depthwise`, a channel multiplier of 2).
 */
export function checkConv(attrs: NamedAttrMap, filterSize: readonly number[], random: () => number, depthwise = false): { x: CheckInput; dy: CheckInput; filter: CheckInput; xShape: number[] } {
  const [kh, kw] = filterSize as [number, number];
  const strides = attrs['strides'] as number | [number, number];
  const [sh, sw] = pairOf(strides);
  const xShape = [2, kh + 2 * sh + 1, kw + 2 * sw + 1, 2];
  const filterShape = [kh, kw, 2, depthwise ? 2 : 3];
  const c = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number], strides, 1, attrs['pad'] as 'same', attrs['dimRoundingMode'] as 'floor' | undefined, depthwise);
  const input = (shape: number[]): CheckInput => ({ shape, values: Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, random) });
  return { x: input(xShape), dy: input([2, c.outHeight, c.outWidth, c.outChannels]), filter: input(filterShape), xShape };
}

/** The variant a convolution's (or its gradient's) first-use check covers. */
export const convVariant = (attrs: NamedAttrMap, filterSize: readonly number[] | undefined): string =>
  JSON.stringify([attrs['strides'], attrs['pad'], attrs['dataFormat'], attrs['dimRoundingMode'], filterSize?.slice(0, 2)]);

/** The tier's `BatchMatMul` (its own GEMM; stock where its check failed). */
const batchMatMul = (backendName: string): SingleKernelFunc | undefined => tf.getKernel('BatchMatMul', backendName)?.kernelFunc as unknown as SingleKernelFunc | undefined;

/**
 * `Conv2DBackpropFilter` (the gradient of a convolution's filter), which tfjs-backend-wasm 4.22 does not have: the
 * input unfolded into its receptive fields (im2col, on the wasm heap) and the gradient as one product, fieldsᵀ · dy,
 * through the tier's own `BatchMatMul` (the shape of a dense layer's weight gradient). A batch whose unfolded input
 * would pass {@link UNFOLD_FLOATS} is unfolded a few images at a time and the products added. NHWC float32 only
 * (NCHW goes to the kernel below: tfjs's cpu kernel on copies, a loop in JavaScript). The products add in float32
 * where the cpu kernel adds in float64, hence the matmul overrides' tolerance at the first-use check.
 * @param backendName - backend, e.g. `wasm`
 * @param unfoldFloats - the most floats unfolded at once (a parameter for tests)
 * @returns the override spec
 */
export function convFilterGradientOverride(backendName: string, unfoldFloats = UNFOLD_FLOATS): KernelOverrideSpec {
  const filterShapeOf = (attrs: NamedAttrMap): number[] | undefined => attrs['filterShape'] as number[] | undefined;
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const call = filterGradientCall(args, convOf);
      const matMul = batchMatMul(backendName);
      if (!call || !matMul) return null;
      const { be, x, dy, c } = call;
      const fields = c.filterHeight * c.filterWidth * c.inChannels;
      const per = imagesPerPiece(c, unfoldFloats);
      let sum: TensorInfo | null = null;
      for (let b0 = 0; b0 < c.batchSize; b0 += per) {
        const b1 = Math.min(c.batchSize, b0 + per);
        const cols = be.makeOutput([1, (b1 - b0) * c.outHeight * c.outWidth, fields], 'float32');
        const d = dyRows(be, dy, c, b0, b1);
        // offsets after every allocation (one may grow the heap)
        unfold(be.wasm.HEAPF32, c, b0, b1, heapOffset(be, x), heapOffset(be, cols));
        const product = matMul({ inputs: { a: cols, b: d.rows }, backend: args.backend, attrs: { transposeA: true, transposeB: false } });
        be.disposeData(cols.dataId);
        d.free();
        if (sum === null) sum = product;
        else {
          const [s, p, n, h] = [heapOffset(be, sum), heapOffset(be, product), fields * c.outChannels, be.wasm.HEAPF32];
          for (let i = 0; i < n; i++) h[s + i] = (h[s + i] as number) + (h[p + i] as number);
          be.disposeData(product.dataId);
        }
      }
      return { dataId: (sum as TensorInfo).dataId, shape: [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels], dtype: 'float32' };
    },
    variantKey: (args) => convVariant(args.attrs, filterShapeOf(args.attrs)),
    checkCase: (args, random) => {
      if (!filterGradientCall(args, convOf)) return null;
      const k = checkConv(args.attrs, filterShapeOf(args.attrs) as number[], random);
      return { inputs: { x: k.x, dy: k.dy }, attrs: { ...args.attrs, filterShape: k.filter.shape } };
    },
    tolerance: MATMUL_TOLERANCE,
  };
}

/**
 * `Conv2DBackpropInput` (the gradient of a convolution's input, and `tf.conv2dTranspose`): dy times the filter's
 * transpose through the tier's own `BatchMatMul`, a row of receptive fields for each output position, folded back
 * onto the input where the fields overlap (col2im). tfjs-backend-wasm 4.22's kernel ran about 11 times as long as
 * its forward convolution (a 5×5 convolution from 32 to 64 channels on 100 14×14 images, 0.72 s against 0.06).
 * NHWC float32 only; other calls go to the stock kernel. A batch whose fields would pass {@link UNFOLD_FLOATS} is
 * done a few images at a time.
 * @param backendName - backend, e.g. `wasm`
 * @param unfoldFloats - the most floats of fields held at once (a parameter for tests)
 * @returns the override spec
 */
export function convInputGradientOverride(backendName: string, unfoldFloats = UNFOLD_FLOATS): KernelOverrideSpec {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const call = inputGradientCall(args, convOf);
      const matMul = batchMatMul(backendName);
      if (!call || !matMul) return null;
      const { be, dy, filter, c } = call;
      const fields = c.filterHeight * c.filterWidth * c.inChannels;
      const per = imagesPerPiece(c, unfoldFloats);
      const dx = be.makeOutput([c.batchSize, c.inHeight, c.inWidth, c.inChannels], 'float32');
      const dx0 = heapOffset(be, dx);
      be.wasm.HEAPF32.fill(0, dx0, dx0 + c.batchSize * c.inHeight * c.inWidth * c.inChannels);
      const weights = { dataId: filter.dataId, shape: [1, fields, c.outChannels], dtype: 'float32' as const };
      for (let b0 = 0; b0 < c.batchSize; b0 += per) {
        const b1 = Math.min(c.batchSize, b0 + per);
        const d = dyRows(be, dy, c, b0, b1);
        const rows = matMul({ inputs: { a: d.rows, b: weights }, backend: args.backend, attrs: { transposeA: false, transposeB: true } });
        d.free();
        // offsets after the product's allocation
        fold(be.wasm.HEAPF32, c, b0, b1, heapOffset(be, dx), heapOffset(be, rows));
        be.disposeData(rows.dataId);
      }
      return dx;
    },
    variantKey: (args) => convVariant(args.attrs, args.inputs['filter']?.shape),
    checkCase: (args, random) => {
      const call = inputGradientCall(args, convOf);
      if (!call) return null;
      const k = checkConv(args.attrs, call.filter.shape, random);
      return { inputs: { dy: k.dy, filter: k.filter }, attrs: { ...args.attrs, inputShape: k.xShape } };
    },
    tolerance: MATMUL_TOLERANCE,
  };
}

/** Activations the tier's `_FusedMatMul` applies in its epilogue; other fused convolutions go to the stock kernel. */
const EPILOGUE_ACTIVATIONS = new Set(['linear', 'relu']);

/**
 * `Conv2D` and `FusedConv2D` (a convolution, then a bias and a linear or ReLU activation): the input unfolded into
 * its receptive fields (im2col) times the filter, a [fields, outChannels] matrix, through the tier's own
 * `BatchMatMul` or `_FusedMatMul` (its bias and ReLU epilogue), a few images at a time past {@link UNFOLD_FLOATS}.
 * tfjs-backend-wasm 4.22's XNNPACK convolution took 64 ms for a 5×5 convolution from 32 to 64 channels on 100 14×14
 * images. NHWC float32 with dilation 1 only (and, fused, no PReLU weights; a bias of outChannels values); other calls
 * go to the stock kernel.
 * @param kernelName - `Conv2D` or `FusedConv2D`
 * @param backendName - backend, e.g. `wasm`
 * @param unfoldFloats - the most floats unfolded at once (a parameter for tests)
 * @returns the override spec
 */
export function convForwardOverride(kernelName: 'Conv2D' | 'FusedConv2D', backendName: string, unfoldFloats = UNFOLD_FLOATS): KernelOverrideSpec {
  const fused = kernelName === 'FusedConv2D';
  const handled = (args: KernelArgs): Conv2DInfo | null => {
    const { x, filter, bias, preluActivationWeights } = args.inputs;
    if (x?.dtype !== 'float32' || filter?.dtype !== 'float32' || (bias && bias.dtype !== 'float32') || preluActivationWeights) return null;
    if (fused && !EPILOGUE_ACTIVATIONS.has(String(args.attrs['activation'] ?? 'linear'))) return null;
    const c = convInfoOf(x.shape, filter.shape, args.attrs);
    return c && (!bias || bias.shape.reduce((p, d) => p * d, 1) === c.outChannels) ? c : null;
  };
  return {
    kernelName,
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const be = wasmInternals(args.backend);
      const c = handled(args);
      const product = tf.getKernel(fused ? '_FusedMatMul' : 'BatchMatMul', backendName)?.kernelFunc as unknown as SingleKernelFunc | undefined;
      const { x, filter, bias } = args.inputs;
      if (!be || !c || !x || !filter || !product) return null;
      const fields = c.filterHeight * c.filterWidth * c.inChannels;
      const per = imagesPerPiece(c, unfoldFloats);
      const outShape = [c.batchSize, c.outHeight, c.outWidth, c.outChannels];
      const rowsPerImage = c.outHeight * c.outWidth;
      const weights = { dataId: filter.dataId, shape: [1, fields, c.outChannels], dtype: 'float32' as const };
      // fused: the bias as a vector of the output's channels, and the activation
      const epilogue = fused && bias ? { bias: { dataId: bias.dataId, shape: [c.outChannels], dtype: 'float32' as const } } : {};
      const attrs = fused ? { transposeA: false, transposeB: false, activation: String(args.attrs['activation'] ?? 'linear') } : { transposeA: false, transposeB: false };
      let out: TensorInfo | null = null;
      for (let b0 = 0; b0 < c.batchSize; b0 += per) {
        const b1 = Math.min(c.batchSize, b0 + per);
        const cols = be.makeOutput([1, (b1 - b0) * rowsPerImage, fields], 'float32');
        unfold(be.wasm.HEAPF32, c, b0, b1, heapOffset(be, x), heapOffset(be, cols));
        const piece = product({ inputs: { a: cols, b: weights, ...epilogue }, backend: args.backend, attrs });
        be.disposeData(cols.dataId);
        if (b0 === 0 && b1 === c.batchSize) return { dataId: piece.dataId, shape: outShape, dtype: 'float32' };
        out ??= be.makeOutput(outShape, 'float32');
        // offsets after the allocations
        const n = (b1 - b0) * rowsPerImage * c.outChannels;
        const from = heapOffset(be, piece);
        be.wasm.HEAPF32.copyWithin(heapOffset(be, out) + b0 * rowsPerImage * c.outChannels, from, from + n);
        be.disposeData(piece.dataId);
      }
      return out;
    },
    variantKey: (args) => `${convVariant(args.attrs, args.inputs['filter']?.shape)}/${args.attrs['activation'] ?? ''}/${args.inputs['bias'] ? 'bias' : ''}`,
    checkCase: (args, random) => {
      const filter = args.inputs['filter'];
      if (!filter || !handled(args)) return null;
      const k = checkConv(args.attrs, filter.shape, random);
      const bias = args.inputs['bias'] ? { bias: { shape: [3], values: Float32Array.from({ length: 3 }, random) } } : {};
      return { inputs: { x: k.x, filter: k.filter, ...bias }, attrs: args.attrs };
    },
    tolerance: MATMUL_TOLERANCE,
  };
}

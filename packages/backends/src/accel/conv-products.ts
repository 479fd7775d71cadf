import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec, SingleKernelFunc } from './kernel-types.js';
import { jsFields, type FieldKernels, type FieldKernelsOf } from './conv-fields.js';
import { checkChannels, checkConv, convInfoOf, convOf, convVariant, filterGradientCall, inputGradientCall, type Conv2DInfo } from './conv-shapes.js';
import { transposeInto } from './heap-transpose.js';
import { MATMUL_TOLERANCE } from './pure-matmul.js';
import { packedFieldsProduct } from './packed-fields-product.js';
import { simdKernels } from './simd-kernels.js';
import { heapOffset, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

/** Floats of the unfolded input held at once (16 MB): a larger batch is unfolded a few images at a time. */
export const UNFOLD_FLOATS = 1 << 22;

/** How a convolution override is built: its field loops and tier, and (for tests) the most floats unfolded at once. */
export interface ConvOverrideOptions {
  /** the field loops (JavaScript by default) */
  readonly fields?: FieldKernelsOf;
  /** the tier it belongs to (`pure` by default) */
  readonly tier?: 'pure' | 'native';
  /** the most floats of fields held at once ({@link UNFOLD_FLOATS} by default) */
  readonly unfoldFloats?: number;
  /** the fields (filterHeight · filterWidth · inChannels) from which products take the transposed orientation ({@link TRANSPOSED_FIELDS} by default) */
  readonly transposedFrom?: number;
}

/**
 * Receptive fields of this many floats and more (filterHeight · filterWidth · inChannels) take the forward product
 * and the filter gradient's transposed: filterᵀ · fieldsᵀ (then its transpose) rather than fields · filter, and
 * dyᵀ · fields rather than fieldsᵀ · dy. Both GEMMs split the columns of their product between threads and pack
 * their left operand whole: with as few columns as a layer has filters, each thread packed every field (a copy as
 * large as the fields) for a product of two panels; transposed, the fields are the right operand, packed a panel at
 * a time where the product reads it. Side by side on 5,000 rows (2-core Zen 4, 2026-12-07), the forward product and
 * the filter gradient with their transposes took, native and pure: 0.71× and 0.64×, 0.34× and 0.56× of the time at
 * 800 fields by 64 filters; 0.74× and 0.73×, 0.59× and 0.56× at 2,304 by 256; 1.1× and 0.87× (native), 0.44× and
 * 0.48× (pure) at 288 by 64; but 1.8× and 1.3×, 1.2× and 1.0× at 25 by 32 (the first layer of an MNIST CNN).
 */
export const TRANSPOSED_FIELDS = 256;

/**
 * In place C[r][j] = C[r][j] + bias[j] (biasOff ≥ 0), then max(·, 0) with `relu`, over rows × cols floats at `c`:
 * the SIMD module's epilogue (bitwise the stock Add and Relu), or a loop in JavaScript without wasm SIMD.
 */
function biasActivation(be: WasmBackendInternals, c: number, rows: number, cols: number, biasOff: number, relu: boolean): void {
  const simd = simdKernels(be);
  if (simd && biasOff >= 0) return simd.biasAct(c, rows, cols, biasOff, relu);
  const h = be.wasm.HEAPF32;
  for (let r = 0; r < rows; r++) {
    for (let j = 0, i = c + r * cols; j < cols; j++, i++) {
      const v = biasOff >= 0 ? Math.fround((h[i] as number) + (h[biasOff + j] as number)) : (h[i] as number);
      h[i] = relu ? (v > 0 || Number.isNaN(v) ? v : 0) : v;
    }
  }
}

/** Floats in one output position's receptive field: filterHeight · filterWidth · inChannels. */
const fieldsOf = (c: Conv2DInfo): number => c.filterHeight * c.filterWidth * c.inChannels;

/** Whether a convolution's products take the transposed orientation: fields of `transposedFrom` floats or more. */
const transposedAt = (c: Conv2DInfo, transposedFrom: number): boolean => fieldsOf(c) >= transposedFrom;

/** Images per piece: as many as keep a piece's receptive fields within `unfoldFloats` floats (at least one). */
const imagesPerPiece = (c: Conv2DInfo, unfoldFloats: number): number =>
  Math.max(1, Math.min(c.batchSize, Math.floor(unfoldFloats / Math.max(1, c.outHeight * c.outWidth * fieldsOf(c)))));

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
 * The transposed orientation's product on the whole batch's receptive fields, gathered by the tier's loops as the
 * product needs them rather than unfolded (the native tier's own GEMM: `FieldKernels.product`): the forward pass's
 * filterᵀ · fieldsᵀ ([outChannels, positions]; `a` the filter) or the filter gradient's dyᵀ · fields ([outChannels,
 * fields]; `a` dy). Null where the loops cannot (then the fields are unfolded, a few images at a time).
 */
function gatheredProduct(be: WasmBackendInternals, kernels: FieldKernels, c: Conv2DInfo, x: TensorInfo, a: TensorInfo, forward: boolean): TensorInfo | null {
  if (!kernels.product) return null;
  const [positions, fields] = [c.batchSize * c.outHeight * c.outWidth, fieldsOf(c)];
  const [n, k] = forward ? [positions, fields] : [fields, positions];
  const out = be.makeOutput([c.outChannels, n], 'float32');
  // offsets after the allocation (it may grow the heap)
  const done = kernels.product(c, 0, c.batchSize, heapOffset(be, x), { transB: forward, m: c.outChannels, n, k, a: heapOffset(be, a), lda: c.outChannels, out: heapOffset(be, out) });
  if (done) return out;
  be.disposeData(out.dataId);
  return null;
}

/**
 * The plain orientation's product on the whole batch's receptive fields, gathered by the tier's loops as the product's
 * left operand needs them rather than unfolded (the native tier's own GEMM: `FieldKernels.leftProduct`): the forward
 * pass's fields · filter ([positions, outChannels]; `b` the filter) or the filter gradient's fieldsᵀ · dy ([fields,
 * outChannels]; `b` dy). The same bits as the product on the unfolded fields, without writing them (7.8 MB a pass
 * for the first layer of an MNIST CNN at batch 100). Null where the loops cannot (then the fields are unfolded).
 */
function leftGatheredProduct(be: WasmBackendInternals, kernels: FieldKernels, c: Conv2DInfo, x: TensorInfo, b: TensorInfo, forward: boolean): TensorInfo | null {
  if (!kernels.leftProduct) return null;
  const [positions, fields] = [c.batchSize * c.outHeight * c.outWidth, fieldsOf(c)];
  const [m, k] = forward ? [positions, fields] : [fields, positions];
  const out = be.makeOutput([m, c.outChannels], 'float32');
  // offsets after the allocation (it may grow the heap)
  const done = kernels.leftProduct(c, 0, c.batchSize, heapOffset(be, x), { transA: !forward, m, n: c.outChannels, k, b: heapOffset(be, b), ldb: c.outChannels, out: heapOffset(be, out) });
  if (done) return out;
  be.disposeData(out.dataId);
  return null;
}

/** The tier's `BatchMatMul` (its own GEMM; stock where its check failed). */
const batchMatMul = (backendName: string): SingleKernelFunc | undefined => tf.getKernel('BatchMatMul', backendName)?.kernelFunc as unknown as SingleKernelFunc | undefined;

/**
 * `Conv2DBackpropFilter` (the gradient of a convolution's filter), which tfjs-backend-wasm 4.22 does not have: the
 * input unfolded into its receptive fields (im2col, on the wasm heap) and the gradient as one product, fieldsᵀ · dy,
 * through the tier's own `BatchMatMul` (the shape of a dense layer's weight gradient). A batch whose unfolded input
 * would pass {@link UNFOLD_FLOATS} is unfolded a few images at a time and the products added; on the native tier,
 * the fields are not unfolded at all but gathered inside its GEMM, the whole batch in one product (wide fields as
 * the right operand, `FieldKernels.product`; narrow ones as the left, `FieldKernels.leftProduct`). NHWC float32 only
 * (NCHW goes to the kernel below: tfjs's cpu kernel on copies, a loop in JavaScript). The products add in float32
 * where the cpu kernel adds in float64, hence the matmul overrides' tolerance at the first-use check.
 * @param backendName - backend, e.g. `wasm`
 * @param options - the field loops (JavaScript by default), the tier, and the most floats unfolded at once
 * @returns the override spec
 */
export function convFilterGradientOverride(backendName: string, options: ConvOverrideOptions = {}): KernelOverrideSpec {
  const { fields: loops = jsFields, tier = 'pure', unfoldFloats = UNFOLD_FLOATS, transposedFrom = TRANSPOSED_FIELDS } = options;
  const filterShapeOf = (attrs: NamedAttrMap): number[] | undefined => attrs['filterShape'] as number[] | undefined;
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    tier,
    run: (args: KernelArgs): TensorInfo | null => {
      const call = filterGradientCall(args, convOf);
      const matMul = batchMatMul(backendName);
      if (!call || !matMul) return null;
      const { be, x, dy, c } = call;
      const fields = fieldsOf(c);
      const transposed = transposedAt(c, transposedFrom);
      const per = imagesPerPiece(c, unfoldFloats);
      let sum: TensorInfo | null = transposed ? gatheredProduct(be, loops(be), c, x, dy, false) : leftGatheredProduct(be, loops(be), c, x, dy, false);
      for (let b0 = sum ? c.batchSize : 0; b0 < c.batchSize; b0 += per) {
        const b1 = Math.min(c.batchSize, b0 + per);
        // the pure tier's dyᵀ · fields with the fields' panels packed straight from x, where it applies
        const product = (transposed && tier === 'pure' ? packedFieldsProduct(be, c, b0, b1, x, dy, false) : null) ?? (() => {
          const cols = be.makeOutput([1, (b1 - b0) * c.outHeight * c.outWidth, fields], 'float32');
          const d = dyRows(be, dy, c, b0, b1);
          // offsets after every allocation (one may grow the heap)
          loops(be).unfold(c, b0, b1, heapOffset(be, x), heapOffset(be, cols));
          // fieldsᵀ · dy, or its transpose dyᵀ · fields
          const [a, b] = transposed ? [d.rows, cols] : [cols, d.rows];
          const p = matMul({ inputs: { a, b }, backend: args.backend, attrs: { transposeA: true, transposeB: false } });
          be.disposeData(cols.dataId);
          d.free();
          return p;
        })();
        if (sum === null) sum = product;
        else {
          const [s, p, n, h] = [heapOffset(be, sum), heapOffset(be, product), fields * c.outChannels, be.wasm.HEAPF32];
          for (let i = 0; i < n; i++) h[s + i] = (h[s + i] as number) + (h[p + i] as number);
          be.disposeData(product.dataId);
        }
      }
      const shape = [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels];
      if (!transposed) return { dataId: (sum as TensorInfo).dataId, shape, dtype: 'float32' };
      const out = be.makeOutput(shape, 'float32');
      transposeInto(be, heapOffset(be, sum as TensorInfo), heapOffset(be, out), c.outChannels, fields);
      be.disposeData((sum as TensorInfo).dataId);
      return out;
    },
    variantKey: (args) => {
      const call = filterGradientCall(args, convOf);
      return `${convVariant(args.attrs, filterShapeOf(args.attrs))}${call && transposedAt(call.c, transposedFrom) ? '/T' : ''}`;
    },
    checkCase: (args, random) => {
      const call = filterGradientCall(args, convOf);
      if (!call) return null;
      const channels = checkChannels(call.c.filterHeight * call.c.filterWidth, call.c.inChannels, transposedFrom);
      const k = checkConv(args.attrs, filterShapeOf(args.attrs) as number[], random, false, channels);
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
 * done a few images at a time; on the native tier each image's fields are folded as its product comes, in a
 * thread's own buffer (`FieldKernels.foldProduct`), and the batch's fields are never held at once.
 * @param backendName - backend, e.g. `wasm`
 * @param options - the field loops (JavaScript by default), the tier, and the most floats of fields held at once
 * @returns the override spec
 */
export function convInputGradientOverride(backendName: string, options: ConvOverrideOptions = {}): KernelOverrideSpec {
  const { fields: loops = jsFields, tier = 'pure', unfoldFloats = UNFOLD_FLOATS } = options;
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName,
    tier,
    run: (args: KernelArgs): TensorInfo | null => {
      const call = inputGradientCall(args, convOf);
      const matMul = batchMatMul(backendName);
      if (!call || !matMul) return null;
      const { be, dy, filter, c } = call;
      const fields = fieldsOf(c);
      const per = imagesPerPiece(c, unfoldFloats);
      const dx = be.makeOutput([c.batchSize, c.inHeight, c.inWidth, c.inChannels], 'float32');
      const dx0 = heapOffset(be, dx);
      // each image's fields folded as they come, where the tier's loops can: the batch's fields never held at once
      if (loops(be).foldProduct?.(c, 0, c.batchSize, heapOffset(be, dy), heapOffset(be, filter), dx0)) return dx;
      be.wasm.HEAPF32.fill(0, dx0, dx0 + c.batchSize * c.inHeight * c.inWidth * c.inChannels);
      const weights = { dataId: filter.dataId, shape: [1, fields, c.outChannels], dtype: 'float32' as const };
      for (let b0 = 0; b0 < c.batchSize; b0 += per) {
        const b1 = Math.min(c.batchSize, b0 + per);
        const d = dyRows(be, dy, c, b0, b1);
        const rows = matMul({ inputs: { a: d.rows, b: weights }, backend: args.backend, attrs: { transposeA: false, transposeB: true } });
        d.free();
        // offsets after the product's allocation
        loops(be).fold(c, b0, b1, heapOffset(be, dx), heapOffset(be, rows));
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
 * `BatchMatMul` or `_FusedMatMul` (its bias and ReLU epilogue), a few images at a time past {@link UNFOLD_FLOATS};
 * on the native tier, the fields are gathered inside its GEMM instead, the whole batch in one product (wide fields
 * as the right operand, narrow ones as the left), then the bias and ReLU in one pass.
 * tfjs-backend-wasm 4.22's XNNPACK convolution took 64 ms for a 5×5 convolution from 32 to 64 channels on 100 14×14
 * images. NHWC float32 with dilation 1 only (and, fused, no PReLU weights; a bias of outChannels values, or of one
 * value for every channel, which tfjs-wasm's own kernel refuses and the cpu kernel broadcasts); other calls
 * go to the stock kernel.
 * @param kernelName - `Conv2D` or `FusedConv2D`
 * @param backendName - backend, e.g. `wasm`
 * @param options - the field loops (JavaScript by default), the tier, and the most floats unfolded at once
 * @returns the override spec
 */
export function convForwardOverride(kernelName: 'Conv2D' | 'FusedConv2D', backendName: string, options: ConvOverrideOptions = {}): KernelOverrideSpec {
  const { fields: loops = jsFields, tier = 'pure', unfoldFloats = UNFOLD_FLOATS, transposedFrom = TRANSPOSED_FIELDS } = options;
  const fused = kernelName === 'FusedConv2D';
  const handled = (args: KernelArgs): Conv2DInfo | null => {
    const { x, filter, bias, preluActivationWeights } = args.inputs;
    if (x?.dtype !== 'float32' || filter?.dtype !== 'float32' || (bias && bias.dtype !== 'float32') || preluActivationWeights) return null;
    if (fused && !EPILOGUE_ACTIVATIONS.has(String(args.attrs['activation'] ?? 'linear'))) return null;
    const c = convInfoOf(x.shape, filter.shape, args.attrs);
    const size = bias?.shape.reduce((p, d) => p * d, 1);
    return c && (size === undefined || size === c.outChannels || size === 1) ? c : null;
  };
  /** A bias of one value (broadcast over the channels, as the cpu kernel takes it; tfjs-wasm refuses it). */
  const scalarBias = (bias: TensorInfo | null | undefined, c: Conv2DInfo): boolean => bias != null && c.outChannels > 1 && bias.shape.reduce((p, d) => p * d, 1) === 1;
  /** The convolution of a call `handled` covers (the bias of outChannels values, or none), `transposed` or not. */
  const convolve = (be: WasmBackendInternals, c: Conv2DInfo, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, transposed: boolean, product: SingleKernelFunc, args: KernelArgs): TensorInfo | null => {
    const fields = fieldsOf(c);
    const per = imagesPerPiece(c, unfoldFloats);
    const outShape = [c.batchSize, c.outHeight, c.outWidth, c.outChannels];
    const rowsPerImage = c.outHeight * c.outWidth;
    const weights = { dataId: filter.dataId, shape: [1, fields, c.outChannels], dtype: 'float32' as const };
    const activation = String(args.attrs['activation'] ?? 'linear');
    // fused: the bias as a vector of the output's channels, and the activation
    const epilogue = fused && bias && !transposed ? { bias: { dataId: bias.dataId, shape: [c.outChannels], dtype: 'float32' as const } } : {};
    const attrs = transposed ? { transposeA: true, transposeB: true } : fused ? { transposeA: false, transposeB: false, activation } : { transposeA: false, transposeB: false };
    let out: TensorInfo | null = null;
    // the whole batch as one product on fields never unfolded, where the tier's loops have it
    const whole = transposed ? gatheredProduct(be, loops(be), c, x, filter, true) : leftGatheredProduct(be, loops(be), c, x, filter, true);
    if (whole && !transposed) {
      // fields · filter is the output as it is; a fused call's bias and activation after it
      if (fused && (bias || activation === 'relu')) {
        biasActivation(be, heapOffset(be, whole), c.batchSize * rowsPerImage, c.outChannels, bias ? heapOffset(be, bias) : -1, activation === 'relu');
      }
      return { dataId: whole.dataId, shape: outShape, dtype: 'float32' };
    }
    if (whole) {
      out = be.makeOutput(outShape, 'float32');
      transposeInto(be, heapOffset(be, whole), heapOffset(be, out), c.outChannels, c.batchSize * rowsPerImage);
      be.disposeData(whole.dataId);
    }
    for (let b0 = whole ? c.batchSize : 0; b0 < c.batchSize; b0 += per) {
      const b1 = Math.min(c.batchSize, b0 + per);
      const rows = (b1 - b0) * rowsPerImage;
      // the pure tier's filterᵀ · fieldsᵀ with the fields' panels packed straight from x, where it applies
      const piece = (transposed && tier === 'pure' ? packedFieldsProduct(be, c, b0, b1, x, filter, true) : null) ?? (() => {
        const cols = be.makeOutput([1, rows, fields], 'float32');
        loops(be).unfold(c, b0, b1, heapOffset(be, x), heapOffset(be, cols));
        // fields · filter, or its transpose filterᵀ · fieldsᵀ
        const operands = transposed ? { a: weights, b: cols } : { a: cols, b: weights, ...epilogue };
        const p = product({ inputs: operands, backend: args.backend, attrs });
        be.disposeData(cols.dataId);
        return p;
      })();
      if (b0 === 0 && b1 === c.batchSize && !transposed) return { dataId: piece.dataId, shape: outShape, dtype: 'float32' };
      out ??= be.makeOutput(outShape, 'float32');
      // offsets after the allocations
      const [from, to] = [heapOffset(be, piece), heapOffset(be, out) + b0 * rowsPerImage * c.outChannels];
      if (transposed) transposeInto(be, from, to, c.outChannels, rows);
      else be.wasm.HEAPF32.copyWithin(to, from, from + rows * c.outChannels);
      be.disposeData(piece.dataId);
    }
    if (out && transposed && fused && (bias || activation === 'relu')) {
      biasActivation(be, heapOffset(be, out), c.batchSize * rowsPerImage, c.outChannels, bias ? heapOffset(be, bias) : -1, activation === 'relu');
    }
    return out;
  };
  return {
    kernelName,
    backendName,
    tier,
    run: (args: KernelArgs): TensorInfo | null => {
      const be = wasmInternals(args.backend);
      const c = handled(args);
      const transposed = c !== null && transposedAt(c, transposedFrom);
      // transposed: a plain product, and the bias and activation after its transpose
      const product = tf.getKernel(fused && !transposed ? '_FusedMatMul' : 'BatchMatMul', backendName)?.kernelFunc as unknown as SingleKernelFunc | undefined;
      const { x, filter } = args.inputs;
      if (!be || !c || !x || !filter || !product) return null;
      // a bias of one value spread over the channels, freed at the end
      const spread = scalarBias(args.inputs['bias'], c) ? be.makeOutput([c.outChannels], 'float32') : null;
      if (spread) {
        const [from, to] = [heapOffset(be, args.inputs['bias'] as TensorInfo), heapOffset(be, spread)];
        be.wasm.HEAPF32.fill(be.wasm.HEAPF32[from] as number, to, to + c.outChannels);
      }
      const bias = spread ?? args.inputs['bias'] ?? undefined;
      try {
        return convolve(be, c, x, filter, bias, transposed, product, args);
      } finally {
        if (spread) be.disposeData(spread.dataId);
      }
    },
    variantKey: (args) => {
      const c = handled(args);
      const bias = args.inputs['bias'] ? (c && scalarBias(args.inputs['bias'], c) ? 'scalar bias' : 'bias') : '';
      return `${convVariant(args.attrs, args.inputs['filter']?.shape)}/${args.attrs['activation'] ?? ''}/${bias}${c && transposedAt(c, transposedFrom) ? '/T' : ''}`;
    },
    checkCase: (args, random) => {
      const filter = args.inputs['filter'];
      const c = handled(args);
      if (!filter || !c) return null;
      const k = checkConv(args.attrs, filter.shape, random, false, checkChannels(c.filterHeight * c.filterWidth, c.inChannels, transposedFrom));
      // the call's kind of bias: three values (one a filter), or one for all
      const biasSize = scalarBias(args.inputs['bias'], c) ? 1 : 3;
      const bias = args.inputs['bias'] ? { bias: { shape: [biasSize], values: Float32Array.from({ length: biasSize }, random) } } : {};
      return { inputs: { x: k.x, filter: k.filter, ...bias }, attrs: args.attrs };
    },
    tolerance: MATMUL_TOLERANCE,
  };
}

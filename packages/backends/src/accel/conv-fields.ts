import type { Conv2DInfo } from './conv-shapes.js';
import type { NativeBlas } from './native-blas-module.js';
import { simdKernels } from './simd-kernels.js';
import type { WasmBackendInternals } from './wasm-internals.js';

// A convolution's receptive fields on the wasm heap: unfolded (im2col) for its products and folded back (col2im) for its
// input gradient, by loops in JavaScript, the SIMD module (pure tier) or the native addon (native tier).

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

/**
 * Fold rows of receptive fields at `rows` back onto images [b0, b1) of NHWC `dx` (at dx0), adding where fields
 * overlap (col2im): each element's terms in the order of the fields, in float32.
 */
function fold(heap: Float32Array, c: Conv2DInfo, b0: number, b1: number, dx0: number, rows: number): void {
  eachFieldRow(c, b0, b1, dx0, rows, (o, skip, to, n) => {
    for (let i = 0, f = o + skip; i < n; i++) heap[to + i] = (heap[to + i] as number) + (heap[f + i] as number);
  });
}

/**
 * The loops around a convolution's products on a backend's heap (offsets in floats): `unfold` images [b0, b1) of the
 * NHWC tensor at x0 into their receptive fields at `out` (im2col), `fold` such fields at `rows` back onto the tensor
 * at dx0, adding where they overlap (col2im). Every implementation gives the JavaScript loops' numbers, bit for bit.
 */
export interface FieldKernels {
  /** Where they run: `JavaScript`, `SIMD` or `C++`. */
  readonly label: string;
  /** Unfold images [b0, b1) of the tensor at x0 into their fields at `out` (image b0's first). */
  unfold(c: Conv2DInfo, b0: number, b1: number, x0: number, out: number): void;
  /** Add the fields of images [b0, b1) at `rows` (image b0's first) back onto the tensor at dx0. */
  fold(c: Conv2DInfo, b0: number, b1: number, dx0: number, rows: number): void;
  /**
   * Where the loops can skip the unfolding (the native tier's own GEMM): `out` = op(A) · op(F), F the fields of
   * images [b0, b1) of the tensor at x0 (op(F) = Fᵀ with `transB`), op(A) = Aᵀ, gathered as the product needs them;
   * false, having done nothing, where it cannot (then unfold).
   */
  product?(c: Conv2DInfo, b0: number, b1: number, x0: number, p: FieldsProduct): boolean;
  /**
   * Where the loops can fold each image's fields as they are computed (the native tier's own GEMM): dx of images
   * [b0, b1) at dx0, written whole, = the fold of dy · filterᵀ (dy at dy0, the filter at w0, as [fields, outChannels]),
   * never holding the batch's fields; the same bits as the product on the whole batch then `fold`. False, having done
   * nothing, where it cannot (then multiply and fold).
   */
  foldProduct?(c: Conv2DInfo, b0: number, b1: number, dy0: number, w0: number, dx0: number): boolean;
  /**
   * Where the loops can skip the unfolding of a product's left operand (the native tier's own GEMM): `out` = op(F) · B,
   * F the fields of images [b0, b1) of the tensor at x0 (op(F) = Fᵀ with `transA`), gathered as the product needs
   * them (a narrow convolution's forward product, fields · filter, and its filter gradient, fieldsᵀ · dy); the same
   * bits as the product on the unfolded fields. False, having done nothing, where it cannot (then unfold).
   */
  leftProduct?(c: Conv2DInfo, b0: number, b1: number, x0: number, p: LeftFieldsProduct): boolean;
}

/** A product with receptive fields on the left (see {@link FieldKernels.leftProduct}): shapes and offsets (floats). */
export interface LeftFieldsProduct {
  /** Fᵀ (a field's floats as rows) rather than F (positions as rows). */
  readonly transA: boolean;
  /** Rows of the output: a field's floats with `transA`, else the positions. */
  readonly m: number;
  /** Columns of the output (a convolution's output channels). */
  readonly n: number;
  /** The depth: the positions with `transA`, else a field's floats. */
  readonly k: number;
  /** B (k rows of n) and its row stride. */
  readonly b: number;
  readonly ldb: number;
  /** The output, m rows of n. */
  readonly out: number;
}

/** A product on receptive fields (see {@link FieldKernels.product}): shapes, Aᵀ's and the output's offsets (floats). */
export interface FieldsProduct {
  /** Fᵀ (positions as columns) rather than F (positions as rows). */
  readonly transB: boolean;
  /** Rows of the output (a convolution's output channels). */
  readonly m: number;
  /** Columns of the output: the positions with `transB`, else a field's floats. */
  readonly n: number;
  /** The depth: a field's floats with `transB`, else the positions. */
  readonly k: number;
  /** A (its transpose is the product's left operand) and its row stride. */
  readonly a: number;
  readonly lda: number;
  /** The output, m rows of n. */
  readonly out: number;
}

/** The field kernels for a backend. */
export type FieldKernelsOf = (be: WasmBackendInternals) => FieldKernels;

/** The field loops in JavaScript (the reference the others are tested against). */
export const jsFields: FieldKernelsOf = (be) => ({
  label: 'JavaScript',
  unfold: (c, b0, b1, x0, out) => unfold(be.wasm.HEAPF32, c, b0, b1, x0, out),
  fold: (c, b0, b1, dx0, rows) => fold(be.wasm.HEAPF32, c, b0, b1, dx0, rows),
});

/** The pure tier's field loops: the SIMD module's, or JavaScript's without wasm SIMD. */
export const pureFields: FieldKernelsOf = (be) => {
  const simd = simdKernels(be);
  return simd
    ? { label: 'SIMD', unfold: (c, b0, b1, x0, out) => simd.fields(false, x0, out, b0, b1, geometryOf(c)), fold: (c, b0, b1, dx0, rows) => simd.fields(true, dx0, rows, b0, b1, geometryOf(c)) }
    : jsFields(be);
};

/** A convolution's or pool's geometry as the native addon's and the SIMD module's field functions take it. */
export const geometryOf = (c: Conv2DInfo): [number, number, number, number, number, number, number, number, number, number, number] =>
  [c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth, c.filterHeight, c.filterWidth, c.strideHeight, c.strideWidth, c.padInfo.top, c.padInfo.left];

/** The native addon's field passes (`convFields`), split over its threads by images. */
export type NativeConvFields = (heap: Float32Array, fold: boolean, xOff: number, rowsOff: number, b0: number, b1: number,
  H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number) => void;

/** The native addon's products on receptive fields it gathers itself (`fieldsProduct`). */
export type NativeFieldsProduct = NonNullable<NativeBlas['fieldsProduct']>;
/** The native addon's input gradient folded image by image (`foldProduct`). */
export type NativeFoldProduct = NonNullable<NativeBlas['foldProduct']>;
/** The native addon's products with receptive fields it gathers itself on the left (`leftFieldsProduct`). */
export type NativeLeftFieldsProduct = NonNullable<NativeBlas['leftFieldsProduct']>;

/**
 * The field loops on the native addon, its products on fields never unfolded (on either side) and its input gradients
 * folded image by image where it has them.
 * @param convFields - the addon's `convFields`
 * @param fieldsProduct - the addon's `fieldsProduct`
 * @param foldProduct - the addon's `foldProduct`
 * @param leftFieldsProduct - the addon's `leftFieldsProduct`
 * @returns the field kernels' provider
 */
export const nativeFields = (convFields: NativeConvFields, fieldsProduct?: NativeFieldsProduct, foldProduct?: NativeFoldProduct, leftFieldsProduct?: NativeLeftFieldsProduct): FieldKernelsOf => (be) => ({
  label: 'C++',
  unfold: (c, b0, b1, x0, out) => convFields(be.wasm.HEAPF32, false, x0, out, b0, b1, ...geometryOf(c)),
  fold: (c, b0, b1, dx0, rows) => convFields(be.wasm.HEAPF32, true, dx0, rows, b0, b1, ...geometryOf(c)),
  ...(fieldsProduct
    ? { product: (c, b0, b1, x0, p) => fieldsProduct(be.wasm.HEAPF32, true, p.transB, p.m, p.n, p.k, p.a, p.lda, x0, b0, b1, ...geometryOf(c), p.out, p.n) }
    : {}),
  ...(foldProduct ? { foldProduct: (c, b0, b1, dy0, w0, dx0) => foldProduct(be.wasm.HEAPF32, dy0, w0, dx0, c.outChannels, b0, b1, ...geometryOf(c)) } : {}),
  ...(leftFieldsProduct
    ? { leftProduct: (c, b0, b1, x0, p) => leftFieldsProduct(be.wasm.HEAPF32, p.transA, p.m, p.n, p.k, x0, b0, b1, ...geometryOf(c), p.b, p.ldb, p.out, p.n) }
    : {}),
});

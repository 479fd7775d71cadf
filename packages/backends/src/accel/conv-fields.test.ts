import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { uninstallAcceleration } from './install-acceleration.js';
import { loadNativeBlas } from './load-native-blas.js';
import type { GemmKernelName, NativeBlas } from './native-blas-module.js';
import { jsFields, nativeFields, pureFields, type FieldKernels } from './conv-fields.js';
import { checkChannels, type Conv2DInfo } from './conv-shapes.js';
import { uniformGenerator } from './self-check.js';
import { withGemmKernel, withNativeThreads } from '../testing/native-settings.js';
import { heapOffset, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

let blas: NativeBlas | null = null;
beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
  const loaded = await loadNativeBlas();
  blas = loaded.ok && loaded.blas.convFields && loaded.blas.maxPoolGrad ? loaded.blas : null;
});
afterAll(() => uninstallAcceleration());

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
// [input, filter, strides, padding]: one channel (runs of one float: the scalar tails), odd channels, strides past
// the window (inputs no field covers), explicit uneven padding, a window wider than the padded input's last fields
// (rows wholly in the padding), and the MNIST CNN's second layer (runs of 160 floats)
const CASES: [[number, number, number, number], [number, number, number, number], [number, number], Pad][] = [
  [[3, 7, 6, 1], [5, 5, 1, 2], [1, 1], 'same'],
  [[2, 9, 8, 3], [3, 2, 3, 2], [2, 3], 'valid'],
  [[2, 5, 7, 5], [2, 3, 5, 2], [3, 4], [[0, 0], [2, 0], [1, 3], [0, 0]]],
  [[3, 4, 3, 6], [5, 5, 6, 2], [1, 2], 'same'],
  [[2, 3, 3, 2], [3, 3, 2, 2], [1, 1], [[0, 0], [4, 4], [3, 5], [0, 0]]],
  [[3, 14, 14, 32], [5, 5, 32, 64], [1, 1], 'same'],
];

/** What each implementation leaves on the heap: the unfolded fields of images [b0, b1), and a tensor the fields were folded onto. */
function fieldsOf(be: WasmBackendInternals, f: FieldKernels, c: Conv2DInfo, xValues: Float32Array, rowValues: Float32Array, b0: number, b1: number): { unfolded: Float32Array; folded: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor(xValues, [c.batchSize, c.inHeight, c.inWidth, c.inChannels]);
    const rows = tf.tensor(rowValues);
    const out = tf.fill([rowValues.length], Number.NaN);
    const info = (t: tf.Tensor) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
    f.unfold(c, b0, b1, heapOffset(be, info(x)), heapOffset(be, info(out)));
    f.fold(c, b0, b1, heapOffset(be, info(x)), heapOffset(be, info(rows)));
    return { unfolded: out.dataSync() as Float32Array, folded: x.dataSync() as Float32Array };
  });
}

describe('a convolution\'s receptive fields (unfold and fold) in SIMD and C++', () => {
  it('give the JavaScript loops\' numbers bit for bit, for strides, padding, odd channels and a piece of a batch', () => {
    tf.setBackend('wasm');
    const be = wasmInternals(tf.backend())!;
    const random = uniformGenerator(5);
    const impls = [['SIMD', pureFields(be)], ...(blas?.convFields ? [['C++', nativeFields(blas.convFields.bind(blas))(be)] as const] : [])] as const;
    expect(impls[0][1].label).toBe('SIMD');
    let compared = 0;
    for (const [xShape, fShape, strides, pad] of CASES) {
      const c = tf.backend_util.computeConv2DInfo(xShape, fShape, strides, 1, pad as 'same');
      const perImage = c.outHeight * c.outWidth * c.filterHeight * c.filterWidth * c.inChannels;
      const xValues = Float32Array.from({ length: xShape.reduce((p, d) => p * d, 1) }, () => 4 * random() - 2);
      // NaN and infinities pass through the unfold as bits, and through the fold's adds
      xValues.set([Number.NaN, Infinity, -0], 3);
      // the whole batch, and its last images alone (fields of image b0 first)
      for (const [b0, b1] of [[0, c.batchSize], [1, c.batchSize]] as const) {
        const rowValues = Float32Array.from({ length: (b1 - b0) * perImage }, () => 2 * random() - 1);
        const want = fieldsOf(be, jsFields(be), c, xValues, rowValues, b0, b1);
        // every field written (the output started as NaN): the padding's zeros and the input's values
        expect(want.unfolded.slice(perImage).some(Number.isNaN)).toBe(false);
        for (const [label, f] of impls) {
          const got = fieldsOf(be, f, c, xValues, rowValues, b0, b1);
          expect(Buffer.from(got.unfolded.buffer).equals(Buffer.from(want.unfolded.buffer)), `${label} unfold ${JSON.stringify([xShape, fShape, strides, pad, b0])}`).toBe(true);
          expect(Array.from(got.folded), `${label} fold ${JSON.stringify([xShape, fShape, strides, pad, b0])}`).toEqual(Array.from(want.folded));
          compared++;
        }
      }
    }
    expect(compared).toBe(CASES.length * 2 * impls.length);
  });

  it('the fold adds every field onto its pixel: with fields of ones, each pixel counts the fields that cover it', () => {
    tf.setBackend('wasm');
    const be = wasmInternals(tf.backend())!;
    // a 3×3 window at stride 1, same padding, on a 4×4 image: corners are covered by 4 fields, edges 6, inside 9
    const c = tf.backend_util.computeConv2DInfo([1, 4, 4, 1], [3, 3, 1, 1], 1, 1, 'same');
    const rows = new Float32Array(16 * 9).fill(1);
    const { folded } = fieldsOf(be, pureFields(be), c, new Float32Array(16), rows, 0, 1);
    expect(Array.from(folded)).toEqual([4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4]);
  });

  it('a first-use check case takes the orientation of the call it checks', () => {
    // 3×3 windows: 32 channels are 288 fields (transposed from 256), 2 channels 18
    expect(checkChannels(9, 32, 256)).toBe(29);
    expect(9 * checkChannels(9, 32, 256)).toBeGreaterThanOrEqual(256);
    expect(checkChannels(9, 2, 256)).toBe(2);
    // a 20×20 window of one channel stays below the threshold; of two, above it
    expect(checkChannels(200, 1, 256)).toBe(1);
    expect(checkChannels(400, 1, 256)).toBe(2);
  });
});

/** Reproducible floats in [−0.5, 0.5). */
function floats(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

/**
 * The addon's geometry (H, W, C, OH, OW, KH, KW, sh, sw, top, left) of a convolution padded by `pad` on every side.
 * @returns the eleven numbers, as `convFields`, `fieldsProduct` and `foldProduct` take them
 */
function paddedGeometry(H: number, W: number, C: number, KH: number, KW: number, sh: number, sw: number, pad: number): readonly [number, number, number, number, number, number, number, number, number, number, number] {
  const [OH, OW] = [Math.floor((H + 2 * pad - KH) / sh) + 1, Math.floor((W + 2 * pad - KW) / sw) + 1];
  return [H, W, C, OH, OW, KH, KW, sh, sw, pad, pad];
}

/** A convolution as the product tests take it: [images, H, W, C, KH, KW, stride h, stride w, padding, outChannels]. */
type ConvShape = [number, number, number, number, number, number, number, number, number, number];

/** The GEMM kernels of the addon's own this host runs (AVX-512, AVX2), the widest first. */
function ownKernels(b: NativeBlas): GemmKernelName[] {
  return (['avx512', 'avx2'] as const).filter((k) => withGemmKernel(b, k, () => b.gemmKernel?.()) === k);
}

/** A GEMM kernel of the addon's own this host runs (AVX-512 or AVX2), or null where only OpenBLAS does. */
function ownKernel(b: NativeBlas): GemmKernelName | null {
  return ownKernels(b)[0] ?? null;
}

/** A product test's case: the kernel its products take, the shape, the addon's geometry and a field's floats. */
interface ProductCase {
  readonly own: GemmKernelName;
  readonly shape: ConvShape;
  readonly geometry: ReturnType<typeof paddedGeometry>;
  readonly field: number;
}

/** Runs `body` for every shape under each of `kernels` (the addon's products take it for the call). */
function eachProductCase(native: NativeBlas, kernels: readonly GemmKernelName[], shapes: readonly ConvShape[], body: (c: ProductCase) => void): void {
  for (const own of kernels) {
    withGemmKernel(native, own, () => {
      for (const shape of shapes) {
        const [, H, W, C, KH, KW, sh, sw, pad] = shape;
        body({ own, shape, geometry: paddedGeometry(H, W, C, KH, KW, sh, sw, pad), field: KH * KW * C });
      }
    });
  }
}

/**
 * A heap for a product on images [b0, b1)'s unfolded fields, NaN where nothing is written: the case's images (floats
 * of `seed`) at `xOff`, their fields as `convFields` unfolds them at `fOff`, then room for the product's other operand
 * (`opOff`), sgemm's output on the unfolded fields (`cOff`) and the gathered product's (`gOff`), each up to
 * outC × max(field, positions) floats.
 */
function unfoldedHeap(convFields: NonNullable<NativeBlas['convFields']>, c: ProductCase, b0: number, b1: number, xOff: number, seed: number) {
  const [B, H, W, C, , , , , , outC] = c.shape;
  const positions = (b1 - b0) * c.geometry[3] * c.geometry[4];
  const room = outC * Math.max(c.field, positions);
  const fOff = xOff + B * H * W * C;
  const opOff = fOff + positions * c.field;
  const [cOff, gOff] = [opOff + room, opOff + 2 * room];
  const heap = new Float32Array(gOff + room).fill(Number.NaN);
  heap.set(floats(B * H * W * C, seed), xOff);
  convFields(heap, false, xOff, fOff, b0, b1, ...c.geometry);
  return { heap, positions, fOff, opOff, cOff, gOff };
}

/** Asserts that `got` is finite and `want`'s floats bit for bit (`label` names the case). */
function expectSameBits(got: Float32Array, want: Float32Array, label: string): void {
  expect(got.every(Number.isFinite), label).toBe(true);
  expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength)), label).toBe(true);
}

describe('the native addon\'s products on receptive fields it gathers itself (fieldsProduct)', () => {
  // Shapes: the MNIST CNN's second layer (a field row split between depth blocks of 256), odd channels with strides
  // past the window, a field narrower than a panel's depth, a filter gradient with so small a result and so many
  // positions that the GEMM cuts it along its depth, and 48 channels under unequal strides (panels of 32 and 16
  // columns inside one pixel, gathered as pixel runs, and panels across two pixels)
  const shapes: ConvShape[] = [
    [3, 14, 14, 32, 5, 5, 1, 1, 2, 64],
    [2, 5, 6, 48, 3, 3, 2, 1, 1, 8],
    [2, 9, 7, 3, 3, 2, 2, 3, 1, 5],
    [4, 6, 6, 17, 3, 3, 1, 1, 1, 40],
    [43, 14, 14, 16, 3, 3, 1, 1, 1, 16],
  ];
  it('are sgemm on the unfolded fields bit for bit: forward (fieldsᵀ) and filter gradient (fields), whole batches and pieces', () => {
    const native = blas;
    const own = native?.fieldsProduct && native.convFields ? ownKernel(native) : null;
    if (!native?.fieldsProduct || !native.convFields || !own) return;
    const [convFields, fieldsProduct] = [native.convFields.bind(native), native.fieldsProduct.bind(native)];
    eachProductCase(native, [own], shapes, (c) => {
      const { shape: [B, H, W, C, KH, KW, , , , outC], geometry, field } = c;
      for (const [b0, b1] of [[0, B], [1, B]] as const) {
        const xOff = 5;
        const { heap, positions, fOff, opOff: aOff, cOff, gOff } = unfoldedHeap(convFields, c, b0, b1, xOff, 7);
        for (const transB of [true, false]) {
          // transB: filterᵀ · fieldsᵀ, A the filter [field × outC]; else dyᵀ · fields, A dy [positions × outC]
          const [m, n, k] = transB ? [outC, positions, field] : [outC, field, positions];
          heap.set(floats(k * outC, 11), aOff);
          native.sgemm(heap, true, transB, m, n, k, 1, aOff, outC, fOff, field, 0, cOff, n);
          expect(fieldsProduct(heap, true, transB, m, n, k, aOff, outC, xOff, b0, b1, ...geometry, gOff, n)).toBe(true);
          expectSameBits(heap.subarray(gOff, gOff + m * n), heap.subarray(cOff, cOff + m * n), `${[B, H, W, C, KH, KW]} images ${b0}–${b1} transB=${transB}`);
        }
      }
    });
  });

  it('leave the product undone where OpenBLAS does the products, and refuse shapes that do not fit the fields, naming them', () => {
    if (!blas?.fieldsProduct) return;
    const heap = new Float32Array(2000);
    // one 4×4 image of one channel, 3×3 fields with padding 1: 16 positions of 9 floats; C[2 × 16] = Aᵀ · fieldsᵀ
    const g = [4, 4, 1, 4, 4, 3, 3, 1, 1, 1, 1] as const;
    expect(withGemmKernel(blas, 'openblas', () => blas!.fieldsProduct!(heap, true, true, 2, 16, 9, 100, 2, 0, 0, 1, ...g, 200, 16))).toBe(false);
    const own = ownKernel(blas);
    if (own) expect(withGemmKernel(blas, own, () => blas!.fieldsProduct!(heap, true, true, 2, 16, 9, 100, 2, 0, 0, 1, ...g, 200, 16))).toBe(true);
    expect(() => blas!.fieldsProduct!(heap, true, true, 2, 15, 9, 100, 2, 0, 0, 1, ...g, 200, 16)).toThrow(/do not fit its fields: 16 positions of 9 floats, got M=2 N=15 K=9/);
    expect(() => blas!.fieldsProduct!(heap, true, false, 2, 16, 9, 100, 2, 0, 0, 1, ...g, 200, 16)).toThrow(/do not fit its fields/);
    expect(() => blas!.fieldsProduct!(heap, true, true, 2, 16, 9, 100, 2, 0, 0, 1, ...g, 1990, 16)).toThrow(/C range/);
    expect(() => blas!.fieldsProduct!(heap, true, true, 2, 16, 9, 100, 2, 0, 0, 1, ...g, 105, 16)).toThrow(/overlaps/);
    expect(() => blas!.fieldsProduct!(heap, true, true, 2, 16, 9, 100, 2, 0, 1, 1, ...g, 200, 16)).toThrow(/0 <= b0 < b1/);
  });
});

describe('the native addon\'s products with gathered fields on the left (leftFieldsProduct)', () => {
  // Shapes: the MNIST CNN's first layer (8 images: a forward product split into bands of rows, a filter gradient 6,272
  // positions deep cut along its depth), odd channels with strides past the window, 153 floats a field (panels of rows
  // of the transpose, and a ragged last one), and 432 (a field split between two depth blocks of 256: parts of fields
  // gathered)
  const shapes: ConvShape[] = [
    [8, 28, 28, 1, 5, 5, 1, 1, 2, 32],
    [3, 9, 7, 3, 3, 2, 2, 3, 1, 5],
    [2, 6, 6, 17, 3, 3, 1, 1, 1, 40],
    [2, 5, 6, 48, 3, 3, 2, 1, 1, 8],
  ];
  it('are sgemm on the unfolded fields bit for bit: forward (fields) and filter gradient (fieldsᵀ), whole batches and pieces, one thread and two, each own kernel', () => {
    const native = blas;
    const kernels = native?.leftFieldsProduct && native.convFields ? ownKernels(native) : [];
    if (!native?.leftFieldsProduct || !native.convFields || kernels.length === 0) return;
    const [convFields, leftFieldsProduct] = [native.convFields.bind(native), native.leftFieldsProduct.bind(native)];
    let compared = 0;
    eachProductCase(native, kernels, shapes, (c) => {
      const { own, shape: [B, H, W, C, KH, KW, , , , outC], geometry, field } = c;
      for (const [b0, b1] of [[0, B], [1, B]] as const) {
        const xOff = 7;
        const { heap, positions, fOff, opOff: bOff, cOff, gOff } = unfoldedHeap(convFields, c, b0, b1, xOff, 19);
        for (const transA of [false, true]) {
          // fields · filter (B the filter, [field × outC]), or fieldsᵀ · dy (B dy, [positions × outC])
          const [m, k] = transA ? [field, positions] : [positions, field];
          heap.set(floats(k * outC, 23), bOff);
          native.sgemm(heap, transA, false, m, outC, k, 1, fOff, field, bOff, outC, 0, cOff, outC);
          for (const threads of [1, 2]) {
            heap.fill(Number.NaN, gOff, gOff + m * outC);
            expect(withNativeThreads(native, threads, () => leftFieldsProduct(heap, transA, m, outC, k, xOff, b0, b1, ...geometry, bOff, outC, gOff, outC))).toBe(true);
            expectSameBits(heap.subarray(gOff, gOff + m * outC), heap.subarray(cOff, cOff + m * outC), `${own}: ${[B, H, W, C, KH, KW]} images ${b0}–${b1} transA=${transA}, ${threads} threads`);
            compared++;
          }
        }
      }
    });
    expect(compared).toBe(kernels.length * shapes.length * 2 * 2 * 2);
  });

  it('leave the product undone where OpenBLAS does the products, and refuse shapes that do not fit the fields, naming them', () => {
    if (!blas?.leftFieldsProduct) return;
    const b = blas;
    const heap = new Float32Array(2000);
    // one 4×4 image of one channel, 3×3 fields with padding 1: 16 positions of 9 floats; C[16 × 2] = fields · B[9 × 2]
    const g = [4, 4, 1, 4, 4, 3, 3, 1, 1, 1, 1] as const;
    heap.fill(1, 0, 16).fill(1, 100, 118);
    expect(withGemmKernel(b, 'openblas', () => b.leftFieldsProduct!(heap, false, 16, 2, 9, 0, 0, 1, ...g, 100, 2, 200, 2))).toBe(false);
    const own = ownKernel(b);
    if (own) {
      expect(withGemmKernel(b, own, () => b.leftFieldsProduct!(heap, false, 16, 2, 9, 0, 0, 1, ...g, 100, 2, 200, 2))).toBe(true);
      // with inputs and weights of ones, each position's output counts the pixels its window covers: 4 at a corner,
      // 6 on an edge, 9 inside
      expect(Array.from(heap.subarray(200, 232)).filter((_, i) => i % 2 === 0)).toEqual([4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4]);
    }
    expect(() => b.leftFieldsProduct!(heap, false, 15, 2, 9, 0, 0, 1, ...g, 100, 2, 200, 2)).toThrow(/do not fit its fields: 16 positions of 9 floats, got M=15 N=2 K=9/);
    expect(() => b.leftFieldsProduct!(heap, true, 16, 2, 9, 0, 0, 1, ...g, 100, 2, 200, 2)).toThrow(/do not fit its fields: .*\(transA\)/);
    expect(() => b.leftFieldsProduct!(heap, false, 16, 2, 9, 0, 0, 1, ...g, 100, 1, 200, 2)).toThrow(/ldb=1/);
    expect(() => b.leftFieldsProduct!(heap, false, 16, 2, 9, 0, 0, 1, ...g, 1990, 2, 200, 2)).toThrow(/B range/);
    expect(() => b.leftFieldsProduct!(heap, false, 16, 2, 9, 0, 0, 1, ...g, 100, 2, 1990, 2)).toThrow(/C range/);
    expect(() => b.leftFieldsProduct!(heap, false, 16, 2, 9, 0, 0, 1, ...g, 100, 2, 110, 2)).toThrow(/C overlaps/);
    expect(() => b.leftFieldsProduct!(heap, false, 16, 2, 9, 0, 0, 1, ...g, 100, 2, 10, 2)).toThrow(/C overlaps/);
    expect(() => b.leftFieldsProduct!(heap, false, 16, 2, 9, 0, 1, 1, ...g, 100, 2, 200, 2)).toThrow(/0 <= b0 < b1/);
  });
});

describe('the native addon\'s input gradient folded image by image (foldProduct)', () => {
  // Shapes: the MNIST CNN's second layer, odd channels with strides past the window, and 48 channels under unequal
  // strides (10 images: a piece of 8 still gives each of two threads the 4 images it needs)
  const shapes: ConvShape[] = [
    [10, 14, 14, 32, 5, 5, 1, 1, 2, 64],
    [10, 9, 7, 3, 3, 2, 2, 3, 1, 5],
    [10, 5, 6, 48, 3, 3, 2, 1, 1, 8],
  ];
  it('is sgemm on the batch then the fold, bit for bit, on one thread and two, for whole batches and pieces, each own kernel', () => {
    const native = blas;
    const kernels = native?.foldProduct && native.convFields ? ownKernels(native) : [];
    if (!native?.foldProduct || !native.convFields || kernels.length === 0) return;
    const [convFields, foldProduct] = [native.convFields.bind(native), native.foldProduct.bind(native)];
    let compared = 0;
    eachProductCase(native, kernels, shapes, ({ own, shape: [B, H, W, C, KH, KW, , , , outC], geometry, field }) => {
      const [image, positions] = [H * W * C, geometry[3] * geometry[4]];
      const dyOff = 3;
      const wOff = dyOff + B * positions * outC;
      const rowsOff = wOff + field * outC;
      const wantOff = rowsOff + B * positions * field;
      const gotOff = wantOff + B * image;
      const heap = new Float32Array(gotOff + B * image);
      heap.set(floats(B * positions * outC, 13), dyOff);
      heap.set(floats(field * outC, 17), wOff);
      for (const [b0, b1] of [[0, B], [1, B - 1]] as const) {
        // the reference: dy · Wᵀ for the images' positions at once, then folded onto a zeroed dx
        heap.fill(0, wantOff, wantOff + B * image);
        native.sgemm(heap, false, true, (b1 - b0) * positions, field, outC, 1, dyOff + b0 * positions * outC, outC, wOff, outC, 0, rowsOff, field);
        convFields(heap, true, wantOff, rowsOff, b0, b1, ...geometry);
        for (const threads of [1, 2]) {
          heap.fill(Number.NaN, gotOff, gotOff + B * image);
          expect(withNativeThreads(native, threads, () => foldProduct(heap, dyOff, wOff, gotOff, outC, b0, b1, ...geometry))).toBe(true);
          expectSameBits(heap.subarray(gotOff + b0 * image, gotOff + b1 * image), heap.subarray(wantOff + b0 * image, wantOff + b1 * image), `${own}: ${[B, H, W, C, KH, KW]} images ${b0}–${b1}, ${threads} threads`);
          // the other images' dx untouched
          expect(heap.subarray(gotOff, gotOff + b0 * image).every(Number.isNaN) && heap.subarray(gotOff + b1 * image, gotOff + B * image).every(Number.isNaN)).toBe(true);
          compared++;
        }
      }
    });
    expect(compared).toBe(12 * kernels.length);
  });

  it('leaves dx undone where OpenBLAS does the products or a thread would get fewer than 4 images, and refuses ranges outside the heap and a dx over its inputs', () => {
    if (!blas?.foldProduct) return;
    const b = blas;
    // 4×4 images of one channel, 3×3 fields with padding 1, 2 output channels: dy 32 floats an image, W 18, dx 16
    const g = [4, 4, 1, 4, 4, 3, 3, 1, 1, 1, 1] as const;
    const [dyOff, wOff, dxOff] = [0, 300, 400];
    const heap = new Float32Array(600).fill(1);
    const fold = (b1: number, threads: number): boolean => withNativeThreads(b, threads, () => b.foldProduct!(heap, dyOff, wOff, dxOff, 2, 0, b1, ...g));
    expect(withGemmKernel(b, 'openblas', () => fold(8, 1))).toBe(false);
    expect(heap.subarray(dxOff, dxOff + 8 * 16).every((v) => v === 1)).toBe(true);
    const own = ownKernel(b);
    if (own) {
      withGemmKernel(b, own, () => {
        // fewer than 4 images a thread: left to the product on the batch, dx untouched
        expect([fold(3, 1), fold(7, 2)]).toEqual([false, false]);
        expect(heap.subarray(dxOff, dxOff + 8 * 16).every((v) => v === 1)).toBe(true);
        expect([fold(4, 1), fold(8, 2)]).toEqual([true, true]);
      });
      // every pixel of the one channel is covered by 4 to 9 fields, each term 1·1 summed over 2 channels
      for (let i = 0; i < 8; i++) expect([heap[dxOff + 16 * i], heap[dxOff + 16 * i + 1], heap[dxOff + 16 * i + 5]]).toEqual([8, 12, 18]);
    }
    expect(() => b.foldProduct!(heap, dyOff, wOff, 590, 2, 0, 1, ...g)).toThrow(/dx range/);
    expect(() => b.foldProduct!(heap, dyOff, 590, dxOff, 2, 0, 1, ...g)).toThrow(/W range/);
    expect(() => b.foldProduct!(heap, dyOff, wOff, 20, 2, 0, 1, ...g)).toThrow(/overlaps/);
    expect(() => b.foldProduct!(heap, dyOff, wOff, dxOff, 2, 1, 0, ...g)).toThrow(/0 <= b0 <= b1/);
    expect(() => b.foldProduct!(heap, dyOff, wOff, dxOff, 0, 0, 1, ...g)).toThrow(/OC >= 1/);
    // sizes whose products would overflow (native-bounds.test.ts has more)
    expect(() => b.foldProduct!(heap, dyOff, wOff, dxOff, 2 ** 40, 0, 1, ...g)).toThrow(/dy range \[0, 17592186044416\) is outside the array of length 600/);
    expect(() => b.foldProduct!(heap, dyOff, wOff, dxOff, 2, 0, 1, 2 ** 30, 2 ** 30, 2 ** 30, 4, 4, 3, 3, 1, 1, 1, 1)).toThrow(/an image \(H·W·C\) of more than 2\^63 floats would pass the array/);
  });
});

describe('the native addon\'s field and pool functions refuse what they cannot do', () => {
  it('sizes under 1, ranges outside the heap, and outputs overlapping their inputs throw, naming the problem', () => {
    if (!blas?.convFields || !blas.maxPoolGrad) return;
    const heap = new Float32Array(1000);
    // H W C OH OW KH KW sh sw top left
    const g = [4, 4, 1, 4, 4, 3, 3, 1, 1, 1, 1] as const;
    expect(() => blas!.convFields!(heap, false, 0, 16, 0, 1, ...g)).not.toThrow();
    expect(() => blas!.convFields!(heap, false, 0, 16, 0, 1, 4, 4, 0, 4, 4, 3, 3, 1, 1, 1, 1)).toThrow(/sizes and strides from 1/);
    expect(() => blas!.convFields!(heap, false, 0, 900, 0, 1, ...g)).toThrow(/rows range \[900, 1044\) is outside the array of length 1000/);
    expect(() => blas!.convFields!(heap, true, 0, 8, 0, 1, ...g)).toThrow(/overlap/);
    expect(() => blas!.convFields!(heap, false, 0, 16, 1, 0, ...g)).toThrow(/0 <= b0 <= b1/);
    expect(() => blas!.maxPoolGrad!(heap, 0, 16, 32, 1, 4, 4, 1, 2, 2, 2, 2, 2, 2, 0, 0)).not.toThrow();
    expect(() => blas!.maxPoolGrad!(heap, 0, 16, 8, 1, 4, 4, 1, 2, 2, 2, 2, 2, 2, 0, 0)).toThrow(/dx overlaps/);
    expect(() => blas!.maxPoolGrad!(heap, 0, 16, 990, 1, 4, 4, 1, 2, 2, 2, 2, 2, 2, 0, 0)).toThrow(/dx range/);
  });

  it('a max pool\'s gradient goes to each window\'s first maximum; a window of NaN or -Infinity alone passes nothing', () => {
    if (!blas?.maxPoolGrad) return;
    // one 4×4 image of one channel, 2×2 windows at stride 2: a tie (3 at 1 and at 4), a 5, NaNs and -Infinity
    const x = [1, 3, 3, 0, 3, 2, -1, 5, Number.NaN, Number.NaN, -Infinity, -Infinity, Number.NaN, Number.NaN, -Infinity, -Infinity];
    const heap = new Float32Array(64);
    heap.set(x, 0);
    heap.set([10, 20, 30, 40], 16);
    blas.maxPoolGrad(heap, 0, 16, 32, 1, 4, 4, 1, 2, 2, 2, 2, 2, 2, 0, 0);
    expect(Array.from(heap.slice(32, 48))).toEqual([0, 10, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0]);
    // a −0 arrives as +0 (the cpu kernel's sum from 0), and every other pixel is +0 too
    heap.set([-0, -0, 30, 40], 16);
    heap.fill(Number.NaN, 32, 48);
    blas.maxPoolGrad(heap, 0, 16, 32, 1, 4, 4, 1, 2, 2, 2, 2, 2, 2, 0, 0);
    expect(Array.from(heap.slice(32, 48)).every((v) => Object.is(v, 0))).toBe(true);
  });
});

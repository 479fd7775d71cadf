import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeWasm, installPureTier } from '../testing/pure-tier.js';
import { geometryOf } from './conv-fields.js';
import { convInfoOf } from './conv-shapes.js';
import { uninstallAcceleration } from './install-acceleration.js';
import { packedFieldsProduct } from './packed-fields-product.js';
import { simdKernels } from './simd-kernels.js';
import { heapOffset } from './wasm-internals.js';
import type { SingleKernelFunc } from './kernel-types.js';

let gemm = false;
beforeAll(async () => {
  gemm = await installPureTier((m) => expect.fail(m));
});
afterAll(() => uninstallAcceleration());

/** The float32 bits of a tensor's values. */
const bitsOf = (t: TensorInfo): Uint32Array => {
  const be = activeWasm();
  const at = heapOffset(be, t);
  return new Uint32Array(be.wasm.HEAPF32.buffer).slice(at, at + t.shape.reduce((p, d) => p * d, 1));
};

/**
 * The product the conv overrides took before for images [b0, b1): the fields unfolded by the SIMD module, then the
 * tier's BatchMatMul, A transposed (filterᵀ · fieldsᵀ, or dyᵀ · fields).
 */
function onUnfolded(x: tf.Tensor4D, filterShape: number[], attrs: { strides: number | number[]; pad: 'same' | 'valid' }, b0: number, b1: number, a: tf.Tensor, forward: boolean): Uint32Array {
  const be = activeWasm();
  const c = convInfoOf(x.shape, filterShape, attrs);
  if (!c) throw new Error('no convolution');
  const [positions, fields] = [(b1 - b0) * c.outHeight * c.outWidth, c.filterHeight * c.filterWidth * c.inChannels];
  const cols = tf.zeros([1, positions, fields]);
  simdKernels(be)?.fields(false, heapOffset(be, x), heapOffset(be, cols), b0, b1, geometryOf(c));
  const rows = tf.tidy(() => (forward ? a.reshape([1, fields, c.outChannels]) : a.reshape([c.batchSize * c.outHeight * c.outWidth, c.outChannels]).slice([b0 * c.outHeight * c.outWidth, 0], [positions, c.outChannels]).reshape([1, positions, c.outChannels])));
  const matMul = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc as unknown as SingleKernelFunc;
  const out = matMul({ inputs: { a: rows, b: cols }, backend: tf.backend(), attrs: { transposeA: true, transposeB: forward } });
  const bits = bitsOf(out);
  tf.dispose([cols, rows]);
  tf.backend().disposeData(out.dataId);
  return bits;
}

describe("the pure tier's products on receptive fields packed straight from the input", () => {
  /** x's shape, the filter's, strides, padding, and the pieces of the batch (first image, image after the last). */
  const cases: [string, [number, number, number, number], [number, number, number, number], number | [number, number], 'same' | 'valid', [number, number][]][] = [
    ['an MNIST CNN\'s second layer, whole and in pieces', [4, 14, 14, 32], [5, 5, 32, 8], 1, 'same', [[0, 4], [0, 2], [2, 4]]],
    ['strides 2 and 1, valid, 12 channels', [6, 9, 8, 12], [3, 2, 12, 16], [2, 1], 'valid', [[0, 6], [1, 5]]],
    ['4 channels, a 2×2 window, same (padding below and right only), odd sizes', [8, 7, 5, 4], [2, 2, 4, 24], 1, 'same', [[0, 8], [3, 5]]],
  ];
  it.each(cases)('%s: forward and filter gradient bit for bit the product on the unfolded fields', (_, xShape, filterShape, strides, pad, pieces) => {
    if (!gemm) return;
    const be = activeWasm();
    const attrs = { strides, pad };
    const c = convInfoOf(xShape, filterShape, attrs);
    if (!c) throw new Error('no convolution');
    const x = tf.randomNormal(xShape, 0, 1, 'float32', 3) as tf.Tensor4D;
    const filter = tf.randomNormal(filterShape, 0, 0.3, 'float32', 4);
    // dy as a max pool's and a ReLU's gradients leave it (most of it zero): the filter gradient takes the sparse GEMM
    const dyShape = [c.batchSize, c.outHeight, c.outWidth, c.outChannels];
    const dy = tf.tidy(() => tf.randomNormal(dyShape, 0, 1, 'float32', 5).mul(tf.randomUniform(dyShape, 0, 1, 'float32', 6).greater(0.75).toFloat()));
    const denseDy = tf.randomNormal(dyShape, 0, 1, 'float32', 7);
    let compared = 0;
    for (const [b0, b1] of pieces) {
      for (const [a, forward] of [[filter, true], [dy, false], [denseDy, false]] as const) {
        const got = packedFieldsProduct(be, c, b0, b1, x, a, forward);
        const positions = (b1 - b0) * c.outHeight * c.outWidth;
        if (forward && positions % 8 !== 0) {
          expect(got, 'a last panel not whole: left to the unfolded fields').toBeNull();
          continue;
        }
        expect(got, `${forward ? 'forward' : 'filter gradient'} of images ${b0}–${b1}`).not.toBeNull();
        const fresh = bitsOf(got as TensorInfo);
        tf.backend().disposeData((got as TensorInfo).dataId);
        const want = onUnfolded(x, filterShape, attrs, b0, b1, a, forward);
        let differ = 0;
        for (let e = 0; e < want.length; e++) if (fresh[e] !== want[e]) differ++;
        expect(fresh.length).toBe(want.length);
        expect(differ, `${forward ? 'forward' : 'filter gradient'} of images ${b0}–${b1}`).toBe(0);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(pieces.length * 2);
    tf.dispose([x, filter, dy, denseDy]);
  });

  it('leaves to the unfolded fields what it cannot pack: channels not a multiple of 4, a last panel not whole', () => {
    if (!gemm) return;
    const be = activeWasm();
    const x3 = tf.zeros([2, 6, 6, 3]) as tf.Tensor4D;
    const w3 = tf.zeros([3, 3, 3, 8]);
    const c3 = convInfoOf(x3.shape, w3.shape, { strides: 1, pad: 'same' });
    expect(packedFieldsProduct(be, c3 as NonNullable<typeof c3>, 0, 2, x3, w3, true)).toBeNull();
    // 4 channels, 3×3: 36 fields, not whole panels of 8, for the filter gradient
    const x4 = tf.zeros([2, 6, 6, 4]) as tf.Tensor4D;
    const c4 = convInfoOf(x4.shape, [3, 3, 4, 8], { strides: 1, pad: 'same' });
    const dy4 = tf.zeros([2, 6, 6, 8]);
    expect(packedFieldsProduct(be, c4 as NonNullable<typeof c4>, 0, 2, x4, dy4, false)).toBeNull();
    tf.dispose([x3, w3, x4, dy4]);
  });
});

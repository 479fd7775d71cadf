import { describe, expect, it } from 'vitest';
import { loadNativeBlas } from './load-native-blas.js';

const native = await loadNativeBlas();

// The addon's functions take offsets and sizes from their callers (our kernels, or a third party calling it
// directly) and check every range before touching memory. Sizes whose products pass int64 once wrapped around into
// small spans that passed those checks; now every span saturates and is refused, naming the range.
describe.skipIf(!native.ok)('the native addon refuses sizes whose spans would wrap, and heaps or numbers it cannot read', () => {
  const blas = native.ok ? native.blas : (undefined as never);
  const heap = new Float32Array(8192);

  it('sgemm: rows whose span passes 2^63 (once wrapped to 4,093 floats), a negative depth and strides under their rows', () => {
    // (2^62 + 1023)·4 is 2^64 + 4,092: wrapped, A's and C's spans were 4,093 floats and M rows were written
    const M = 2 ** 62 + 1024;
    expect(() => blas.sgemm(heap, false, false, M, 1, 1, 1, 0, 4, 0, 1, 0, 0, 4)).toThrow(/A range \[0, past 2\^63\) is outside the array of length 8192/);
    expect(() => blas.sgemm(heap, false, false, 2, 2, -1, 1, 0, 2, 0, 2, 0, 16, 2)).toThrow(/sgemm needs K >= 0 .* got K=-1/);
    expect(() => blas.sgemm(heap, false, false, 2, 3, 4, 1, 0, 3, 100, 3, 0, 200, 3)).toThrow(/each stride at least its row's length, got K=4 lda=3 ldb=3 ldc=3/);
    expect(() => blas.sgemm(heap, true, false, 5, 3, 4, 1, 0, 4, 100, 3, 0, 200, 3)).toThrow(/lda=4 .*\(transA\)/);
    expect(() => blas.sgemm(heap, false, false, 2, 3, 4, 1, 0, 4, 100, 3, 0, 200, 2)).toThrow(/ldc=2/);
    // a product that fits is still done
    heap.fill(0, 0, 300).fill(1, 0, 8).fill(2, 100, 112);
    blas.sgemm(heap, false, false, 2, 3, 4, 1, 0, 4, 100, 3, 0, 200, 3);
    expect(Array.from(heap.subarray(200, 206))).toEqual([8, 8, 8, 8, 8, 8]);
  });

  it('biasAct, colSum and rowSum: rows × cols past int64 (2^64 wrapped to 0) are refused, not written', () => {
    expect(() => blas.biasAct(heap, 0, 2 ** 32, 2 ** 32, -1, 1)).toThrow(/C range \[0, past 2\^63\) is outside the array of length 8192/);
    expect(() => blas.biasAct(heap, 0, -2, -3, -1, 1)).toThrow(/biasAct needs non-negative rows and cols, got -2 and -3/);
    expect(() => blas.colSum!(heap, 0, 2 ** 32, 2 ** 32, 100)).toThrow(/x range \[0, past 2\^63\)/);
    expect(() => blas.rowSum!(heap, 0, 2 ** 32, 2 ** 32, 100)).toThrow(/x range \[0, past 2\^63\)/);
  });

  it('the pool and field functions: an image of 2^64 floats (once wrapped to 0) and batches past int64 are refused', () => {
    // H·W·C = 2^30·2^30·16 = 2^64: wrapped, the image was 0 floats and every x range passed
    const wrapped = [2 ** 30, 2 ** 30, 16, 1, 1, 1, 1, 1, 1, 0, 0] as const;
    const image = /an image \(H·W·C\) of more than 2\^63 floats would pass the array of length 8192/;
    expect(() => blas.maxPool!(heap, 0, 100, 1, ...wrapped)).toThrow(image);
    expect(() => blas.maxPoolGrad!(heap, 0, 100, 200, 1, ...wrapped)).toThrow(image);
    expect(() => blas.convFields!(heap, false, 0, 100, 0, 1, ...wrapped)).toThrow(image);
    expect(() => blas.foldProduct!(heap, 0, 100, 200, 2, 0, 1, ...wrapped)).toThrow(image);
    expect(() => blas.fieldsProduct!(heap, false, false, 1, 16, 1, 0, 1, 100, 0, 1, ...wrapped, 200, 16)).toThrow(image);
    // an image's output and its fields, each larger than the array
    expect(() => blas.maxPool!(heap, 0, 100, 0, 4, 4, 1, 2 ** 20, 2 ** 20, 1, 1, 1, 1, 0, 0)).toThrow(/an image's output \(OH·OW·C\) of 1099511627776 floats/);
    expect(() => blas.convFields!(heap, false, 0, 100, 0, 0, 4, 4, 64, 4, 4, 3, 3, 1, 1, 1, 1)).toThrow(/an image's fields \(OH·OW·KH·KW·C\) of 9216 floats/);
    // a batch of 2^62 images of 16 floats: 2^66 floats, once wrapped to 0
    const g = [4, 4, 1, 2, 2, 2, 2, 2, 2, 0, 0] as const;
    expect(() => blas.maxPool!(heap, 0, 100, 2 ** 62, ...g)).toThrow(/x range \[0, past 2\^63\)/);
    expect(() => blas.maxPoolGrad!(heap, 0, 100, 200, 2 ** 62, ...g)).toThrow(/x range \[0, past 2\^63\)/);
    expect(() => blas.convFields!(heap, false, 0, 100, 0, 2 ** 62, ...g)).toThrow(/x range \[0, past 2\^63\)/);
    // OC = 2^62: dy's span 4·2^62 and W's 4·2^62 once wrapped to 0
    expect(() => blas.foldProduct!(heap, 0, 100, 200, 2 ** 62, 0, 1, ...g)).toThrow(/dy range \[0, past 2\^63\)/);
    expect(() => blas.foldProduct!(heap, 0, 100, 200, 2, 2 ** 62, 2 ** 62 + 2048, ...g)).toThrow(/dy range \[past 2\^63, past 2\^63\)/);
  });

  it('a heap other than a Float32Array, and arguments that are not finite numbers, are refused by name', () => {
    // an Int8Array of 64 bytes read as 64 floats would reach 192 bytes past its buffer
    expect(() => blas.biasAct(new Int8Array(64) as never, 0, 4, 16, -1, 1)).toThrow(/native-blas: biasAct\(heap, cOff, rows, cols, biasOff, act\)/);
    expect(() => blas.sgemm(new Float64Array(64) as never, false, false, 2, 2, 2, 1, 0, 2, 4, 2, 0, 8, 2)).toThrow(/native-blas: sgemm\(heap/);
    expect(() => blas.polar!(new Uint8Array(64) as never, 0, new Float64Array(20), 4, 2, 0, 1)).toThrow(/native-blas: polar\(out: Float32Array/);
    expect(() => blas.adam(heap, Number.NaN, 0, 100, 200, 300, 0, 0.1, 0.9, 0.999, 1e-7, 1, 1)).toThrow(/argument 1 is not a finite number: adam\(heap, n/);
    expect(() => blas.ema!(heap, 0, 100, 200, '16' as never, 0.9, 0.1)).toThrow(/argument 4 is not a finite number: ema/);
    expect(() => blas.unary!(heap, 0, 0, 100, Number.POSITIVE_INFINITY)).toThrow(/argument 4 is not a finite number/);
    expect(() => blas.polar!(heap, 0, new Float64Array(20), 4, Number.NaN, 0, 1)).toThrow(/argument 4 is not a finite number: polar/);
  });
});

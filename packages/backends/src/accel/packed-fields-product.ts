import type { TensorInfo } from '@tensorflow/tfjs';
import { geometryOf } from './conv-fields.js';
import type { Conv2DInfo } from './conv-shapes.js';
import { checkSparseOnce } from './pure-matmul.js';
import { FIELDS_WORDS } from './simd-pack-fields.js';
import { gemmScratch, simdKernels } from './simd-kernels.js';
import { sparseCheck } from './sparse-product.js';
import { heapOffset, makeAlignedScratch, type WasmBackendInternals } from './wasm-internals.js';

/**
 * The pure tier's product on a piece of a convolution's receptive fields in the transposed orientation
 * (conv-products.ts), with B's panels packed straight from the input (`packFields`, simd-pack-fields.ts) rather
 * than from the fields unfolded: Aᵀ · op(F), F the fields of images [b0, b1). The forward pass: A the filter
 * [fields, outChannels], op(F) = Fᵀ, the product [outChannels, positions]; the filter gradient: A the piece's rows
 * of dy [positions, outChannels], op(F) = F, the product [outChannels, fields]. The GEMM sees the same panels as on the
 * unfolded fields (the tier's BatchMatMul with A transposed), so the product has its bits; an A with many zeros (dy
 * after a max pool's gradient) takes the sparse GEMM, under the sparse GEMM's first-use check as BatchMatMul's.
 * Null where it does not apply: channels not a multiple of 4, or a last panel that is not whole (n not a multiple
 * of 8), or no SIMD kernels.
 * @param be - the backend
 * @param c - the convolution
 * @param b0 - the piece's first image
 * @param b1 - the image after its last
 * @param x - the convolution's input
 * @param a - the filter (forward) or dy (its rows for the piece are read in place)
 * @param forward - the forward pass, else the filter gradient
 * @returns the product (a new tensor), or null
 */
export function packedFieldsProduct(be: WasmBackendInternals, c: Conv2DInfo, b0: number, b1: number, x: TensorInfo, a: TensorInfo, forward: boolean): TensorInfo | null {
  const kernels = simdKernels(be);
  const [positions, fields] = [(b1 - b0) * c.outHeight * c.outWidth, c.filterHeight * c.filterWidth * c.inChannels];
  const [m, k, n] = forward ? [c.outChannels, fields, positions] : [c.outChannels, positions, fields];
  if (!kernels || c.inChannels % 4 !== 0 || n % 8 !== 0 || m * k * n === 0) return null;
  const out = be.makeOutput([m, n], 'float32');
  const left = makeAlignedScratch(be, m * k);
  const scratch = makeAlignedScratch(be, gemmScratch(m, k, n) + FIELDS_WORDS + c.inChannels);
  const temps = [left, scratch];
  try {
    // views and tensor offsets after every allocation (one may grow the heap)
    const [desc, zeros] = [scratch.off + gemmScratch(m, k, n), scratch.off + gemmScratch(m, k, n) + FIELDS_WORDS];
    const h = be.wasm.HEAPF32;
    const words = new Int32Array(h.buffer, h.byteOffset, h.length);
    const image = c.inHeight * c.inWidth * c.inChannels;
    words.set([4 * (heapOffset(be, x) + b0 * image), ...geometryOf(c), forward ? 1 : 0, 4 * zeros, b1 - b0], desc);
    h.fill(0, zeros, zeros + c.inChannels);
    // Aᵀ: A is k × m (the filter, or the piece's rows of dy)
    kernels.transpose(heapOffset(be, a) + (forward ? 0 : b0 * c.outHeight * c.outWidth * c.outChannels), left.off, k, m);
    const cOff = heapOffset(be, out);
    const took = kernels.gemm(left.off, desc, cOff, m, k, n, forward, scratch.off, undefined, sparseCheck.verdict !== 'failed', undefined, true);
    checkSparseOnce(be, [took], cOff, m * n, (denseOff) => void kernels.gemm(left.off, desc, denseOff, m, k, n, forward, scratch.off, undefined, false, undefined, true));
    return out;
  } finally {
    for (const t of temps) be.disposeData(t.info.dataId, true);
  }
}

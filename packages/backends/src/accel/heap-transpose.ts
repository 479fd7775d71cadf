import type { TensorInfo } from '@tensorflow/tfjs';
import { simdKernels } from './simd-kernels.js';
import { heapOffset, type WasmBackendInternals } from './wasm-internals.js';

const TILE = 8;

/**
 * Transpose the last two axes of a float32 tensor on the wasm heap: the SIMD module's 4×4-block kernel
 * (~0.5–1 ns/element here), else a cache-blocked JavaScript loop (8×8 tiles: 32×32 tiles with a 4 KiB
 * destination stride thrash L1 sets, ~10 ns/element at 1024×1024).
 * @param be - wasm backend internals
 * @param x - float32 tensor of rank ≥ 2 on that backend
 * @returns a new tensor (dispose with `backend.disposeData`)
 */
export function heapTranspose(be: WasmBackendInternals, x: TensorInfo): TensorInfo {
  const r = x.shape.length;
  const rows = x.shape[r - 2] as number;
  const cols = x.shape[r - 1] as number;
  const batch = x.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const out = be.makeOutput([...x.shape.slice(0, -2), cols, rows], 'float32');
  const src0 = heapOffset(be, x);
  const dst0 = heapOffset(be, out);
  for (let b = 0; b < batch; b++) transposeInto(be, src0 + b * rows * cols, dst0 + b * rows * cols, rows, cols);
  return out;
}

/**
 * dst = srcᵀ for one rows×cols float matrix on the wasm heap (offsets in floats): the SIMD module's kernel, else the
 * tiled JavaScript loop.
 * @param be - wasm backend internals
 * @param src - offset of the matrix
 * @param dst - offset of its transpose (not overlapping it)
 * @param rows - rows of the matrix
 * @param cols - columns of the matrix
 */
export function transposeInto(be: WasmBackendInternals, src: number, dst: number, rows: number, cols: number): void {
  const kernels = simdKernels(be);
  if (kernels) kernels.transpose(src, dst, rows, cols);
  else jsTranspose(be.wasm.HEAPF32, src, dst, rows, cols);
}

/** dst = srcᵀ (rows×cols) with 8×8 tiles, offsets in floats. */
function jsTranspose(heap: Float32Array, src: number, dst: number, rows: number, cols: number): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(rows, i0 + TILE);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(cols, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        const s = src + i * cols;
        for (let j = j0; j < j1; j++) heap[dst + j * rows + i] = heap[s + j] as number;
      }
    }
  }
}

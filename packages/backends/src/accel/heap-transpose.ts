import type { TensorInfo } from '@tensorflow/tfjs';
import { heapOffset, type WasmBackendInternals } from './wasm-internals.js';

const TILE = 32;

/**
 * Transpose the last two axes of a float32 tensor on the wasm heap with a cache-blocked JavaScript loop
 * (32×32 tiles). tfjs-wasm 4.22's Transpose kernel runs ~10 ns/element at 1024×1024 here; this ~1–2.
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
  const heap = be.wasm.HEAPF32; // after the allocation
  const src0 = heapOffset(be, x);
  const dst0 = heapOffset(be, out);
  for (let b = 0; b < batch; b++) {
    const src = src0 + b * rows * cols;
    const dst = dst0 + b * rows * cols;
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
  return out;
}

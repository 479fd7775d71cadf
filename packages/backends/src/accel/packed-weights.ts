import type { TensorInfo } from '@tensorflow/tfjs';
import { gemmPackedSize } from './simd-kernels.js';
import { comparisonCheck, type FirstUseVerdict } from './first-use.js';
import { alignedOffset, makeAlignedScratch, type WasmBackendInternals } from './wasm-internals.js';

/**
 * A right operand's panels as the pure GEMM packs them: a heap buffer, filled once a call has packed into it, and
 * whether every value in it is finite (the sparse GEMM's condition; see `sparse-product.ts`).
 */
interface Packing {
  readonly buffer: TensorInfo;
  readonly k: number;
  readonly n: number;
  ready: boolean;
  finite: boolean;
}

/**
 * Packed panels of the right operands that stay put between GEMM calls (weights at inference and evaluation), per
 * backend, by tensor id and orientation ([plain, transposed]). A packing is dropped when its tensor is disposed (seen
 * at the next GEMM call) or written in place ({@link forgetPackings}, through `wroteInPlace`, which the fused Adam and
 * the in-place EMA call).
 * Tensors are otherwise immutable, so a kept packing is the tensor's values. Uninstalling the tier drops them all
 * ({@link dropAllPackings}).
 */
const byBackend = new Map<WasmBackendInternals, Map<object, [Packing | undefined, Packing | undefined]>>();

/**
 * Right operands a GEMM call has taken, by tensor id: bit 1 plain, bit 2 transposed. A packing is kept from the
 * second call in the same orientation on: a training step takes each weight once each way between two updates, so
 * it keeps none (a kept buffer there would only replace the reused, cache-warm scratch with new memory).
 */
const taken = new WeakMap<object, number>();

/**
 * Note that a call takes `b` in this orientation.
 * @param b - the right operand
 * @param transposeB - whether the call takes bᵀ
 * @returns whether an earlier call (since b was last written in place) took it the same way
 */
export function takenBefore(b: TensorInfo, transposeB: boolean): boolean {
  const id = b.dataId as object;
  const bit = transposeB ? 2 : 1;
  const seen = taken.get(id) ?? 0;
  taken.set(id, seen | bit);
  return (seen & bit) !== 0;
}

const free = (be: WasmBackendInternals, p: Packing | undefined): void => {
  if (p) be.disposeData(p.buffer.dataId, true);
};

/**
 * Drop the packings of tensors disposed since the last call.
 * @param be - the backend
 * @param kept - its packings
 */
function sweep(be: WasmBackendInternals, kept: Map<object, [Packing | undefined, Packing | undefined]>): void {
  for (const [id, pair] of kept) {
    if (be.dataIdMap.has(id)) continue; // (`get` of a disposed id would ask the engine to move it from another backend)
    pair.forEach((p) => free(be, p));
    kept.delete(id);
  }
}

/**
 * The kept packing of `b` in this orientation, made (empty) if there is none: the GEMM fills it when `ready` is
 * false, after which the caller marks it ready ({@link packingFilled}).
 * @param be - the backend
 * @param b - the right operand (one an earlier call took the same way: see {@link takenBefore})
 * @param transposeB - whether the product takes bᵀ
 * @param k - inner dimension of the product
 * @param n - columns of the product
 * @returns the packing, with its float offset in the heap (read after any allocation here) and whether it is filled
 *   and finite
 */
export function packingFor(be: WasmBackendInternals, b: TensorInfo, transposeB: boolean, k: number, n: number): { readonly off: number; readonly ready: boolean; readonly finite: boolean; readonly packing: Packing } {
  let kept = byBackend.get(be);
  if (!kept) byBackend.set(be, (kept = new Map()));
  sweep(be, kept);
  const id = b.dataId as object;
  const pair = kept.get(id) ?? [undefined, undefined];
  const side = transposeB ? 1 : 0;
  let p = pair[side];
  if (!p || p.k !== k || p.n !== n) {
    free(be, p);
    p = { buffer: makeAlignedScratch(be, gemmPackedSize(k, n)).info, k, n, ready: false, finite: false };
    pair[side] = p;
    kept.set(id, pair);
  }
  return { off: alignedOffset(be, p.buffer), ready: p.ready, finite: p.ready && p.finite, packing: p };
}

/**
 * The kept packing of `b` (plain, k×n), where one is filled, without noting the call or making one (a product by rows
 * reads kept packings only: see `pure-rows-matmul.ts`).
 * @param be - the backend
 * @param b - the right operand
 * @param k - inner dimension of the product
 * @param n - columns of the product
 * @returns its float offset and whether its values are all finite, or null
 */
export function readyPacking(be: WasmBackendInternals, b: TensorInfo, k: number, n: number): { readonly off: number; readonly finite: boolean } | null {
  const p = byBackend.get(be)?.get(b.dataId as object)?.[0];
  return p && p.ready && p.k === k && p.n === n ? { off: alignedOffset(be, p.buffer), finite: p.finite } : null;
}

/**
 * Mark a packing filled, once the GEMM that packed into it has returned, with whether its values are all finite (as
 * that GEMM's pack functions found them).
 * @param packing - from {@link packingFor}
 * @param finite - the filling GEMM's finding
 */
export function packingFilled(packing: Packing, finite: boolean): void {
  if (packing.ready) return;
  packing.ready = true;
  packing.finite = finite;
}

/**
 * Drop the packings of a tensor whose values were written in place.
 * @param be - the backend
 * @param b - the tensor
 */
export function forgetPackings(be: WasmBackendInternals, b: TensorInfo): void {
  taken.delete(b.dataId as object);
  const kept = byBackend.get(be);
  const pair = kept?.get(b.dataId as object);
  if (!kept || !pair) return;
  pair.forEach((p) => free(be, p));
  kept.delete(b.dataId as object);
}

/**
 * How many tensors have packings kept on a backend (for tests).
 * @param be - the backend
 * @returns the count
 */
export function keptPackings(be: WasmBackendInternals): number {
  const kept = byBackend.get(be);
  if (kept) sweep(be, kept);
  return kept?.size ?? 0;
}

/**
 * The kept packings' first-use self-check, run with a comparison of the first product that reads a kept packing
 * (see `gemmMatMul`). On a disagreement it warns once and frees every kept packing, and none is kept until the
 * tier is installed again (each call packs into its scratch, as before packings were kept).
 */
const check = comparisonCheck((problem, warn) => {
  dropAllPackings();
  warn(`@vib/backends: a product from a kept packing of the pure GEMM disagrees with the same product packed afresh (${problem}); packing every call from now on.`);
});

/**
 * Arm the first-use self-check of kept packings (the tier's install does): the first product that reads a kept
 * packing is compared, bit for bit, with the same product packed afresh from B.
 * @param warn - told once when they disagree
 */
export function armKeptPackingCheck(warn: (message: string) => void): void {
  check.arm(warn);
}

/**
 * The self-check's verdict so far (for tests and reports).
 * @returns unchecked, passed or failed
 */
export function keptPackingVerdict(): FirstUseVerdict {
  return check.verdict;
}

/**
 * Run the self-check, if it has not run since the tier was installed.
 * @param compare - computes the product afresh and returns what disagreed, or null
 * @returns whether kept packings passed
 */
export function checkKeptPacking(compare: () => string | null): boolean {
  return check.run(compare);
}

/** Free every kept packing (the tier is being uninstalled); a backend already disposed has freed its memory itself. */
export function dropAllPackings(): void {
  for (const [be, kept] of byBackend) {
    try {
      for (const pair of kept.values()) pair.forEach((p) => free(be, p));
    } catch {
      // a disposed backend: its heap went with it
    }
  }
  byBackend.clear();
}

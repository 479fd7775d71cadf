import type { TensorInfo } from '@tensorflow/tfjs';
import { sparseScratch, type NonzeroList } from './sparse-product.js';
import { alignedOffset, heapOffset, makeAlignedScratch, type WasmBackendInternals } from './wasm-internals.js';

/**
 * Lists of the nonzeros of fused ReLU products' outputs, made by the products by rows (`row-product.ts`) while each
 * thread has its rows in its cache, for the next product that multiplies by that output: its sparse GEMM then neither
 * samples nor lists its left operand.
 *
 * A list is bound to its output's data (tensors are immutable, and one written in place is forgotten here through
 * `wroteInPlace`), its shape and its place in the heap. A backend keeps {@link KEPT} lists: the one the running
 * product reads and the one it writes, layer after layer; their buffers are reused.
 */

/** Elements of an output, at most, whose nonzeros are listed (a list takes 2 floats an element and a few a row: about 8 MiB at most). */
export const LIST_MAX_ELEMENTS = 1 << 20;
/** Lists kept per backend. */
const KEPT = 2;

interface Slot {
  /** A heap buffer of at least `floats` floats past its first cache line boundary. */
  readonly buffer: TensorInfo;
  readonly floats: number;
  /** The listed output's data, or null where the slot is free. */
  dataId: object | null;
  rows: number;
  cols: number;
  /** The listed output's float offset. */
  heapOff: number;
  /** Terms listed; −1 until the product that lists them has returned. */
  terms: number;
}

const byBackend = new Map<WasmBackendInternals, Slot[]>();

/** Where a product lists its output's nonzeros: the list's and row lengths' float offsets; `done` once it has. */
export interface ListTarget {
  readonly listOff: number;
  readonly countsOff: number;
  /** Record the list as made (its terms, counted by the caller). */
  done(terms: number): void;
}

const listOf = (be: WasmBackendInternals, s: Slot): { listOff: number; countsOff: number } => {
  const listOff = alignedOffset(be, s.buffer);
  return { listOff, countsOff: listOff + 2 * s.rows * s.cols };
};

/**
 * The list of `a`'s nonzeros, where a product by rows made one for it.
 * @param be - the backend
 * @param a - the left operand of a product
 * @param m - its rows
 * @param k - its columns
 * @returns the list, or null
 */
export function listedFor(be: WasmBackendInternals, a: TensorInfo, m: number, k: number): NonzeroList | null {
  for (const s of byBackend.get(be) ?? []) {
    if (s.dataId === a.dataId && s.rows === m && s.cols === k && s.terms >= 0 && s.heapOff === heapOffset(be, a)) return { ...listOf(be, s), terms: s.terms };
  }
  return null;
}

/**
 * A slot for the list of `out`'s nonzeros: not the one that lists `reading` (the product's left operand), a free
 * one or else the other; its buffer is reused where it is large enough. Allocates: read heap offsets afterwards.
 * @param be - the backend
 * @param out - the output to list (rows×cols)
 * @param rows - its rows
 * @param cols - its columns
 * @param reading - the product's left operand
 * @returns where to list, or null for an output over {@link LIST_MAX_ELEMENTS}
 */
export function listTarget(be: WasmBackendInternals, out: TensorInfo, rows: number, cols: number, reading: TensorInfo): ListTarget | null {
  if (rows * cols > LIST_MAX_ELEMENTS) return null;
  let slots = byBackend.get(be);
  if (!slots) byBackend.set(be, (slots = []));
  const floats = sparseScratch(rows, cols);
  const free = (s: Slot): boolean => s.dataId === null || !be.dataIdMap.has(s.dataId);
  let at = slots.findIndex((s) => s.dataId !== reading.dataId && free(s));
  if (at < 0) at = slots.length < KEPT ? slots.length : slots.findIndex((s) => s.dataId !== reading.dataId);
  if (at < 0) return null;
  const old = slots[at];
  const slot: Slot = old && old.floats >= floats ? old : { buffer: makeAlignedScratch(be, floats).info, floats, dataId: null, rows, cols, heapOff: -1, terms: -1 };
  if (old && old !== slot) be.disposeData(old.buffer.dataId, true);
  Object.assign(slot, { dataId: out.dataId as object, rows, cols, heapOff: heapOffset(be, out), terms: -1 });
  slots[at] = slot;
  return { ...listOf(be, slot), done: (terms) => void (slot.terms = terms) };
}

/**
 * Forget the list of a tensor whose values were written in place (`wroteInPlace`) or whose list is not to be trusted.
 * @param be - the backend
 * @param t - the tensor
 */
export function forgetListed(be: WasmBackendInternals, t: TensorInfo): void {
  for (const s of byBackend.get(be) ?? []) if (s.dataId === t.dataId) s.dataId = null;
}

/**
 * Lists kept on a backend (for tests).
 * @param be - the backend
 * @returns lists made, of tensors not disposed, and not forgotten
 */
export function keptLists(be: WasmBackendInternals): number {
  return (byBackend.get(be) ?? []).filter((s) => s.dataId !== null && s.terms >= 0 && be.dataIdMap.has(s.dataId)).length;
}

/** Free every list's buffer (the tier is being uninstalled); a backend already disposed has freed its memory itself. */
export function dropAllLists(): void {
  for (const [be, slots] of byBackend) {
    try {
      for (const s of slots) be.disposeData(s.buffer.dataId, true);
    } catch {
      // a disposed backend: its heap went with it
    }
  }
  byBackend.clear();
}

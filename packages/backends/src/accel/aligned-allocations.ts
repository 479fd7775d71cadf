/**
 * Tensors on cache lines: tfjs-backend-wasm 4.22 allocates every tensor with its module's `_malloc`, which aligns to 8
 * bytes, so a row of 32 floats usually spans three 64-byte lines instead of two, and SIMD loads and stores straddle
 * lines. While installed, allocations of at least {@link ALIGNED_MIN_BYTES} bytes are made 64 bytes larger and handed
 * out from their first 64-byte boundary; `_free` gives the block's own start back to the allocator. Only JavaScript
 * allocates and frees tensor memory in tfjs-backend-wasm (its C++ side registers and forgets tensors, never frees
 * them), so every shifted pointer comes back through `_free`. Pointers the wrapper did not shift (small tensors,
 * memory the C++ side allocated) pass through unchanged.
 */

import type { WasmBackendInternals } from './wasm-internals.js';

/** The module functions the wrapper replaces: the allocator of tfjs-backend-wasm's emscripten module, as its internals carry it. */
export type WasmAllocator = Required<Pick<WasmBackendInternals['wasm'], '_malloc' | '_free'>>;

/** Allocations of at least this many bytes are aligned (smaller ones would pay 64 bytes for little). */
export const ALIGNED_MIN_BYTES = 1024;

/** The boundary allocations are aligned to: a cache line. */
export const ALIGNMENT_BYTES = 64;

/** The wrapper's state on a module: whether it aligns new allocations, and the shifted pointers still live. */
interface AlignedState {
  active: boolean;
  /** Aligned pointer handed out → the allocator's own pointer. */
  readonly shifted: Map<number, number>;
}

const states = new WeakMap<object, AlignedState>();

/**
 * Make the module's tensor allocations of {@link ALIGNED_MIN_BYTES} or more start on a 64-byte boundary (again, when
 * installed before and switched off). The wrapper stays on the module for good: shifted pointers may outlive
 * {@link stopAligningAllocations}, and its `_free` must still translate them.
 * @param module - tfjs-backend-wasm's module (`backend.wasm`)
 * @returns false where the module has no `_malloc` and `_free` (nothing done)
 */
export function alignAllocations(module: Partial<WasmAllocator>): boolean {
  const known = states.get(module);
  if (known) {
    known.active = true;
    return true;
  }
  if (typeof module._malloc !== 'function' || typeof module._free !== 'function') return false;
  // emscripten's first call of each export replaces the property with the raw function: settle both first, so
  // that no later call swaps ours out
  module._free(module._malloc(16));
  const malloc = module._malloc.bind(module);
  const free = module._free.bind(module);
  const state: AlignedState = { active: true, shifted: new Map() };
  module._malloc = (bytes: number): number => {
    if (!state.active || bytes < ALIGNED_MIN_BYTES) return malloc(bytes);
    const own = malloc(bytes + ALIGNMENT_BYTES) >>> 0;
    if (own === 0) return 0;
    const aligned = Math.ceil(own / ALIGNMENT_BYTES) * ALIGNMENT_BYTES;
    state.shifted.set(aligned, own);
    return aligned;
  };
  module._free = (pointer: number): void => {
    const own = state.shifted.get(pointer >>> 0);
    if (own === undefined) {
      free(pointer);
      return;
    }
    state.shifted.delete(pointer >>> 0);
    free(own);
  };
  states.set(module, state);
  return true;
}

/**
 * New allocations as the module makes them; those already shifted are still freed correctly.
 * @param module - a module {@link alignAllocations} was given
 */
export function stopAligningAllocations(module: object): void {
  const state = states.get(module);
  if (state) state.active = false;
}

/**
 * How many shifted allocations are live (for tests and diagnostics).
 * @param module - a module {@link alignAllocations} was given
 * @returns the count, or 0 where the wrapper is not installed
 */
export function liveAlignedAllocations(module: object): number {
  return states.get(module)?.shifted.size ?? 0;
}

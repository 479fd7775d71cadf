import type { DataId, DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm 4.22's BackendWasm that the native tier reads (not public API). */
export interface WasmBackendInternals {
  readonly wasm: { readonly HEAPF32: Float32Array };
  readonly dataIdMap: { get(dataId: DataId): { memoryOffset: number; refCount: number } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

/**
 * View a backend as the wasm backend's internals, when it has them.
 * @param backend - any kernel backend
 * @returns the internals, or null when the backend is not tfjs-backend-wasm (or its layout changed)
 */
export function wasmInternals(backend: KernelBackend): WasmBackendInternals | null {
  const b = backend as unknown as Partial<WasmBackendInternals>;
  // Not `instanceof`: the heap may come from another realm (vitest's VM contexts, worker bundles).
  const heap = b.wasm?.HEAPF32;
  return ArrayBuffer.isView(heap) && Object.prototype.toString.call(heap) === '[object Float32Array]' && typeof b.dataIdMap?.get === 'function' && typeof b.makeOutput === 'function'
    ? (b as WasmBackendInternals)
    : null;
}

/**
 * Float offset of a tensor in the wasm heap.
 * @param be - wasm internals
 * @param t - tensor on that backend
 * @returns offset in float32 elements
 * @throws Error when the tensor is not on the wasm heap
 */
export function heapOffset(be: WasmBackendInternals, t: TensorInfo): number {
  const entry = be.dataIdMap.get(t.dataId);
  if (!entry || typeof entry.memoryOffset !== 'number') throw new Error('tensor is not on the wasm heap');
  return entry.memoryOffset >>> 2;
}

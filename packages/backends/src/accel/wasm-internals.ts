import type { DataId, DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm 4.22's BackendWasm that the native tier reads (not public API). */
export interface WasmBackendInternals {
  readonly wasm: {
    readonly HEAPF32: Float32Array;
    /** The C++ side's tensor registry (tfjs-backend-wasm's `tfjs` object), where present. */
    readonly tfjs?: { disposeData?(id: number): void; registerTensor?(id: number, size: number, memoryOffset: number): void };
    /** The module's allocator, through which the JavaScript side allocates and frees every tensor. */
    _malloc?(bytes: number): number;
    _free?(pointer: number): void;
  };
  readonly dataIdMap: { get(dataId: DataId): { id?: number; memoryOffset: number; refCount: number } | undefined; has(dataId: DataId): boolean };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
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
  return heapByteOffset(be, t) >>> 2;
}

/**
 * Byte offset of a tensor in the wasm heap (for tensors of one-byte elements, such as bool).
 * @param be - wasm internals
 * @param t - tensor on that backend
 * @returns offset in bytes
 * @throws Error when the tensor is not on the wasm heap
 */
export function heapByteOffset(be: WasmBackendInternals, t: TensorInfo): number {
  const entry = be.dataIdMap.get(t.dataId);
  if (!entry || typeof entry.memoryOffset !== 'number') throw new Error('tensor is not on the wasm heap');
  return entry.memoryOffset;
}

/**
 * The heap as the elements of a float32 or an int32 tensor: one view of the same memory, indexed by
 * {@link heapOffset}'s offsets. Take it after any allocation (a grown heap has a new buffer).
 * @param be - wasm internals
 * @param dtype - the elements' type
 * @returns the view
 */
export function heapOf(be: WasmBackendInternals, dtype: 'float32' | 'int32'): Float32Array | Int32Array {
  const heap = be.wasm.HEAPF32;
  return dtype === 'float32' ? heap : new Int32Array(heap.buffer, heap.byteOffset, heap.length);
}

/**
 * A new float32 tensor of `shape` holding `values` (float64 sums, each rounded once to the nearest float32).
 * @param be - wasm internals
 * @param shape - its shape (as many elements as `values`)
 * @param values - the values
 * @returns the tensor
 */
export function float32Output(be: WasmBackendInternals, shape: number[], values: Float64Array): TensorInfo {
  const out = be.makeOutput(shape, 'float32');
  // the offset after makeOutput (it may grow the heap)
  be.wasm.HEAPF32.set(values, heapOffset(be, out));
  return out;
}

/** Floats in a cache line (64 bytes). */
const LINE_FLOATS = 16;

/**
 * Scratch on the heap whose usable part starts on a cache line: tfjs-wasm's allocator aligns to 8 bytes only, and a
 * 16-byte load at 8 mod 16 straddles two cache lines once in four (the sparse GEMM, bound by its loads of B's panels,
 * ran 8 % slower from an 8-byte-aligned packing).
 * @param be - wasm internals
 * @param floats - floats needed
 * @returns the tensor to dispose with `backend.disposeData`, and the float offset of its first 64-byte boundary
 *   (`floats` floats from there are its own)
 */
export function makeAlignedScratch(be: WasmBackendInternals, floats: number): { readonly info: TensorInfo; readonly off: number } {
  const info = be.makeOutput([floats + LINE_FLOATS - 1], 'float32');
  return { info, off: alignedOffset(be, info) };
}

/**
 * The first 64-byte boundary in a tensor of {@link makeAlignedScratch}.
 * @param be - wasm internals
 * @param t - the tensor
 * @returns its float offset
 */
export function alignedOffset(be: WasmBackendInternals, t: TensorInfo): number {
  return Math.ceil(heapOffset(be, t) / LINE_FLOATS) * LINE_FLOATS;
}

/**
 * Whether {@link forgetPackedCopies} can run on this backend.
 * @param be - wasm internals
 * @returns true where tfjs-backend-wasm's C++ registry functions are reachable
 */
export function canForgetPackedCopies(be: WasmBackendInternals): boolean {
  return typeof be.wasm.tfjs?.disposeData === 'function' && typeof be.wasm.tfjs.registerTensor === 'function';
}

/**
 * Make tfjs-backend-wasm drop what its kernels keep for a tensor (XNNPACK's packed matmul and convolution weights,
 * by tensor id) after the tensor's values were written in place: the C++ side forgets the id, which runs those
 * caches' disposal callbacks, and learns it again at the same memory. The JavaScript side (and the memory) stay.
 * @param be - wasm internals (see {@link canForgetPackedCopies})
 * @param t - a tensor on that backend
 * @returns false where the registry is not reachable (then nothing was done)
 */
export function forgetPackedCopies(be: WasmBackendInternals, t: TensorInfo): boolean {
  // (`get` of an id this backend does not hold would ask the engine to move the tensor from another backend)
  const entry = be.dataIdMap.has(t.dataId) ? be.dataIdMap.get(t.dataId) : undefined;
  const registry = be.wasm.tfjs;
  if (!entry || typeof entry.id !== 'number' || !registry?.disposeData || !registry.registerTensor) return false;
  registry.disposeData(entry.id);
  registry.registerTensor(entry.id, t.shape.reduce((p, d) => p * d, 1), entry.memoryOffset);
  return true;
}

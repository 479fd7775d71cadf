import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec } from './kernel-types.js';
import { heapByteOffset, heapOf, heapOffset, wasmInternals } from './wasm-internals.js';

/** The reference-counting part of tfjs-backend-wasm's backend (it has had `incRef` since its Reshape aliases). */
interface RefCounting {
  incRef(dataId: object): void;
}

const hasIncRef = (backend: unknown): backend is RefCounting =>
  typeof (backend as Partial<RefCounting> | null)?.incRef === 'function';

/** The call's input `x` as its output, sharing the buffer (the reference counted), or null where that cannot be done. */
function aliasInput(args: KernelArgs): TensorInfo | null {
  const x = args.inputs['x'];
  if (!x || !hasIncRef(args.backend)) return null;
  args.backend.incRef(x.dataId as object);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Identity without a copy: the output shares the input's buffer, with the backend's reference count raised,
 * as tfjs's cpu backend and wasm's own Reshape already do. tfjs-backend-wasm 4.22's Identity copies the whole
 * buffer, and the engine clones (Identity) every tensor a gradient saves: each training step copied every
 * weight matrix and activation once more (≈3 ms of a 45 ms VIB step here). Safe because no wasm kernel writes
 * into its inputs; the fused Adam, which updates its moment buffers in place, first makes them exclusive.
 * @param backendName - backend, e.g. `wasm`
 * @returns the override spec (string tensors go to the stock kernel)
 */
export function aliasIdentityOverride(backendName: string): KernelOverrideSpec {
  return {
    kernelName: 'Identity',
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => (args.inputs['x']?.dtype === 'string' ? null : aliasInput(args)),
    variantKey: (args) => String(args.inputs['x']?.dtype),
    checkCase: (args, random) => {
      if (args.inputs['x']?.dtype !== 'float32') return null;
      const values = new Float32Array(15);
      for (let i = 0; i < values.length; i++) values[i] = random();
      return { inputs: { x: { shape: [3, 5], values } }, attrs: {} };
    },
    tolerance: { atol: 0, rtol: 0 },
  };
}

/** A float32 or int32 tensor cast to bool: 1 where it is not 0 (NaN included), as tfjs's cpu kernel gives it. */
function toBool(args: KernelArgs): TensorInfo | null {
  const x = args.inputs['x'];
  const be = wasmInternals(args.backend);
  if (!x || !be || (x.dtype !== 'float32' && x.dtype !== 'int32')) return null;
  const n = x.shape.reduce((p, d) => p * d, 1);
  const out = be.makeOutput(x.shape, 'bool');
  // offsets after makeOutput (it may grow the heap); bool is one byte an element
  const from = heapOf(be, x.dtype);
  const i0 = heapOffset(be, x);
  const bytes = new Uint8Array(from.buffer, from.byteOffset + heapByteOffset(be, out), n);
  for (let i = 0; i < n; i++) bytes[i] = (from[i0 + i] as number) !== 0 ? 1 : 0;
  return out;
}

/**
 * Cast to the dtype a tensor already has, without a copy (the output shares the input's buffer, as the aliased
 * Identity does). TensorFlow.js's ReLU gradient casts its float32 step mask to float32, and tfjs-backend-wasm 4.22
 * copies it: one copy of every ReLU layer's activations per training step. A float32 or int32 tensor cast to bool
 * is 1 wherever it is not 0, as on tfjs's cpu backend: tfjs-wasm 4.22 truncates to an integer and keeps its low
 * byte, so 0.5 became false, 2 stayed 2 and −1 became 255 (and read back so when cast to a number). Other casts
 * that change the dtype go to the stock kernel.
 * @param backendName - backend, e.g. `wasm`
 * @returns the override spec
 */
export function aliasCastOverride(backendName: string): KernelOverrideSpec {
  const same = (args: KernelArgs): boolean => {
    const x = args.inputs['x'];
    return !!x && x.dtype !== 'string' && x.dtype !== 'complex64' && args.attrs['dtype'] === x.dtype;
  };
  const bool = (args: KernelArgs): boolean => args.attrs['dtype'] === 'bool' && (args.inputs['x']?.dtype === 'float32' || args.inputs['x']?.dtype === 'int32');
  return {
    kernelName: 'Cast',
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => (same(args) ? aliasInput(args) : bool(args) ? toBool(args) : null),
    variantKey: (args) => (same(args) ? `same ${String(args.attrs['dtype'])}` : bool(args) ? `bool from ${String(args.inputs['x']?.dtype)}` : 'convert'),
    checkCase: (args, random) => {
      const x = args.inputs['x'];
      if (bool(args) && x?.dtype === 'float32') {
        // zeros of both signs, fractions, negatives, NaN and ±∞ among random values
        const values = Float32Array.from({ length: 15 }, (_, i) => [0, -0, 0.5, -1, 2, Number.NaN, Infinity, -Infinity, 1e-45][i] ?? random());
        return { inputs: { x: { shape: [3, 5], values } }, attrs: { dtype: 'bool' } };
      }
      if (!same(args) || x?.dtype !== 'float32') return null;
      const values = Float32Array.from({ length: 15 }, () => random());
      return { inputs: { x: { shape: [3, 5], values } }, attrs: { dtype: 'float32' } };
    },
    tolerance: { atol: 0, rtol: 0 },
  };
}

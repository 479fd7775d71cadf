import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec } from './kernel-types.js';
import { heapOffset, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

const size = (t: TensorInfo): number => t.shape.reduce((p, d) => p * d, 1);

/** A float32 output of `shape` whose elements `f(i)` gives, written on the heap after the allocation. */
function written(be: WasmBackendInternals, shape: number[], f: (heap: Float32Array, i: number) => number): TensorInfo {
  const out = be.makeOutput(shape, 'float32');
  const o = heapOffset(be, out);
  const heap = be.wasm.HEAPF32;
  const n = shape.reduce((p, d) => p * d, 1);
  for (let i = 0; i < n; i++) heap[o + i] = f(heap, i);
  return out;
}

/**
 * `ClipByValue` of a float32 tensor with NaN kept NaN, as tfjs's cpu kernel keeps it. tfjs-backend-wasm 4.22 clips a
 * NaN to the lower bound, so a NaN that reached a clip (a squashed Gaussian's edge, an attack's input bounds) came out
 * finite on wasm and went on as a number instead of ending the run with the NaN error.
 * @param backendName - backend, e.g. `wasm`
 * @returns the override spec
 */
export function clipNaNOverride(backendName: string): KernelOverrideSpec {
  return {
    kernelName: 'ClipByValue',
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const be = wasmInternals(args.backend);
      const x = args.inputs['x'];
      if (!be || !x || x.dtype !== 'float32') return null;
      const [lo, hi] = [Number(args.attrs['clipValueMin']), Number(args.attrs['clipValueMax'])];
      // heap offsets stay valid when the output's allocation grows the heap; `written` reads through the new view
      const xo = heapOffset(be, x);
      return written(be, x.shape, (heap, i) => {
        const v = heap[xo + i] as number;
        return v > hi ? hi : v < lo ? lo : v;
      });
    },
    variantKey: (args) => String(args.inputs['x']?.dtype),
    checkCase: (args, random) => {
      if (args.inputs['x']?.dtype !== 'float32') return null;
      // finite values only (the self-check's comparison takes NaN and ∞ for errors): both zeros, both bounds, beyond them
      const values = Float32Array.from({ length: 12 }, (_, i) => [-0, 0, -1, 1.5, 7, -9][i] ?? 3 * random());
      return { inputs: { x: { shape: [3, 4], values } }, attrs: { clipValueMin: -1, clipValueMax: 1.5 } };
    },
    tolerance: { atol: 0, rtol: 0 },
  };
}

/**
 * `Maximum` or `Minimum` of float32 tensors of one shape, or of a tensor and a one-element one, with a NaN on either
 * side giving NaN, as tfjs's cpu kernel (`Math.max`, `Math.min`) gives it. tfjs-backend-wasm 4.22 returns the first
 * operand where the second is NaN: `tf.minimum(1, NaN)` was 1 there. Other broadcasts go to the stock kernel.
 * @param kernelName - `Maximum` or `Minimum`
 * @param backendName - backend, e.g. `wasm`
 * @returns the override spec
 */
export function extremumNaNOverride(kernelName: 'Maximum' | 'Minimum', backendName: string): KernelOverrideSpec {
  const pick = kernelName === 'Maximum' ? Math.max : Math.min;
  /** The output shape where the operands are one shape, or one of them has a single element; else null. */
  const shapeOf = (args: KernelArgs): number[] | null => {
    const [a, b] = [args.inputs['a'], args.inputs['b']];
    if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
    if (a.shape.join() === b.shape.join()) return a.shape;
    if (size(b) === 1 && b.shape.length <= a.shape.length) return a.shape;
    if (size(a) === 1 && a.shape.length <= b.shape.length) return b.shape;
    return null;
  };
  return {
    kernelName,
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const be = wasmInternals(args.backend);
      const shape = shapeOf(args);
      if (!be || !shape) return null;
      const [a, b] = [args.inputs['a'] as TensorInfo, args.inputs['b'] as TensorInfo];
      const [ao, bo] = [heapOffset(be, a), heapOffset(be, b)];
      const [as, bs] = [size(a) === 1 ? 0 : 1, size(b) === 1 ? 0 : 1];
      return written(be, shape, (heap, i) => pick(heap[ao + as * i] as number, heap[bo + bs * i] as number));
    },
    variantKey: (args) => (shapeOf(args) ? 'float32' : 'other'),
    checkCase: (args, random) => {
      if (!shapeOf(args)) return null;
      // finite values only (the self-check's comparison takes NaN and ∞ for errors): zeros of both signs, ties
      const a = Float32Array.from({ length: 10 }, (_, i) => [-0, 0, 2, -3][i] ?? random());
      const b = Float32Array.from({ length: 10 }, (_, i) => [0, -0, 2, 5][i] ?? random());
      return { inputs: { a: { shape: [2, 5], values: a }, b: { shape: [2, 5], values: b } }, attrs: {} };
    },
    tolerance: { atol: 0, rtol: 0 },
  };
}

import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec } from './kernel-types.js';
import { heapOf, heapOffset, wasmInternals } from './wasm-internals.js';

/**
 * `OneHot` with a float32 output (`tf.oneHot(indices, depth, on, off, 'float32')`). tfjs-backend-wasm 4.22's kernel
 * writes int32 values whatever dtype it is asked for, so a float32 one-hot held 1.4e-45 (the bits of the integer 1)
 * where it should hold 1, and garbage for any other on or off value; a mixture's sampling built on one came out 0.
 * This writes the float32 values as tfjs's cpu kernel does: `offValue` everywhere, `onValue` at each index in
 * [0, depth) (an index outside it leaves its row off). int32 outputs, which the stock kernel gets right, go to it.
 * @param backendName - backend, e.g. `wasm`
 * @returns the override spec
 */
export function oneHotFloatOverride(backendName: string): KernelOverrideSpec {
  const float = (args: KernelArgs): boolean => args.attrs['dtype'] === 'float32';
  return {
    kernelName: 'OneHot',
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const be = wasmInternals(args.backend);
      const indices = args.inputs['indices'];
      if (!be || !indices || !float(args) || (indices.dtype !== 'int32' && indices.dtype !== 'float32')) return null;
      const depth = Number(args.attrs['depth']);
      const [on, off] = [Number(args.attrs['onValue'] ?? 1), Number(args.attrs['offValue'] ?? 0)];
      const n = indices.shape.reduce((p, d) => p * d, 1);
      const out = be.makeOutput([...indices.shape, depth], 'float32');
      // offsets after makeOutput (it may grow the heap)
      const [i0, o0] = [heapOffset(be, indices), heapOffset(be, out)];
      const heap = be.wasm.HEAPF32;
      const at = heapOf(be, indices.dtype);
      heap.fill(off, o0, o0 + n * depth);
      for (let e = 0; e < n; e++) {
        const k = at[i0 + e] as number;
        if (k >= 0 && k < depth) heap[o0 + e * depth + k] = on;
      }
      return out;
    },
    variantKey: (args) => String(args.attrs['dtype']),
    checkCase: (args) => {
      if (!float(args)) return null;
      // whole indices (as float32: the check writes every input so), two outside [0, depth), an on and off of 2.5 and −1
      return { inputs: { indices: { shape: [6], values: Float32Array.of(0, 2, 1, -1, 4, 2) } }, attrs: { depth: 3, onValue: 2.5, offValue: -1, dtype: 'float32' } };
    },
    tolerance: { atol: 0, rtol: 0 },
  };
}

import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec } from './kernel-types.js';
import { float32Output, heapOf, heapOffset, wasmInternals } from './wasm-internals.js';

/**
 * `UnsortedSegmentSum` on the wasm heap: `tf.unsortedSegmentSum`, and the gradient of `tf.gather` (an embedding
 * lookup's), which tfjs-backend-wasm 4.22 does not have. One pass over the rows: each row of `x` is added to the
 * segment its id names, in float64, and the sums rounded to float32 at the end, as tfjs's cpu kernel sums (it is
 * the first-use check's reference). Ids outside [0, numSegments) drop their rows, as on cpu. Where this differs from
 * the cpu kernel: a NaN or ±∞ in a row reaches only its own segment, as TensorFlow defines the op (the cpu kernel
 * masks by multiplying, so 0 · NaN puts NaN in every segment). float32 rows and one-dimensional ids only; other calls
 * go to the kernel below (tfjs's cpu kernel on copies).
 * @param backendName - backend, e.g. `wasm`
 * @returns the override spec
 */
export function segmentSumOverride(backendName: string): KernelOverrideSpec {
  return {
    kernelName: 'UnsortedSegmentSum',
    backendName,
    tier: 'pure',
    run: (args: KernelArgs): TensorInfo | null => {
      const be = wasmInternals(args.backend);
      const { x, segmentIds: ids } = args.inputs;
      if (!be || !x || !ids || x.dtype !== 'float32' || (ids.dtype !== 'int32' && ids.dtype !== 'float32')) return null;
      const numSegments = Number(args.attrs['numSegments']);
      const rows = ids.shape[0] ?? -1;
      if (ids.shape.length !== 1 || x.shape.length < 1 || x.shape[0] !== rows || !Number.isInteger(numSegments) || numSegments < 0) return null;
      const width = x.shape.slice(1).reduce((p, d) => p * d, 1);
      const sums = new Float64Array(numSegments * width);
      const heap = be.wasm.HEAPF32;
      const at = heapOf(be, ids.dtype);
      const [x0, i0] = [heapOffset(be, x), heapOffset(be, ids)];
      for (let r = 0; r < rows; r++) {
        const s = at[i0 + r] as number;
        // a whole id in range (float32 ids come only from the first-use check; a fractional one matches no segment on cpu)
        if (!(s >= 0 && s < numSegments) || s !== Math.trunc(s)) continue;
        const [from, to] = [x0 + r * width, s * width];
        for (let j = 0; j < width; j++) sums[to + j] = (sums[to + j] as number) + (heap[from + j] as number);
      }
      return float32Output(be, [numSegments, ...x.shape.slice(1)], sums);
    },
    variantKey: (args) => `${args.inputs['x']?.dtype}/${args.inputs['segmentIds']?.shape.length}`,
    checkCase: (args, random) => {
      const x = args.inputs['x'];
      if (x?.dtype !== 'float32' || args.inputs['segmentIds']?.shape.length !== 1) return null;
      // seven rows of 3 into 4 segments: one segment twice, one empty, one id past the end and one below 0
      const values = Float32Array.from({ length: 21 }, () => random() * 4);
      return { inputs: { x: { shape: [7, 3], values }, segmentIds: { shape: [7], values: Float32Array.of(2, 0, 2, 4, 1, -1, 0) } }, attrs: { numSegments: 4 } };
    },
    tolerance: { atol: 0, rtol: 0 },
  };
}

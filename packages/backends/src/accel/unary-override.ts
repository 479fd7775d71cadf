import type { TensorInfo } from '@tensorflow/tfjs';
import type { CheckCase, KernelArgs, KernelOverrideSpec, Tolerance } from './kernel-types.js';
import { heapOffset, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

/** The elementwise kernels with a vectorized override, in the op numbering of `@vib/native-blas`'s `unary`. */
export const UNARY_OPS = { Exp: 0, Log: 1, Log1p: 2, Softplus: 3, Tanh: 4, Sigmoid: 5 } as const;

/** Name of a TensorFlow.js elementwise kernel with a vectorized override. */
export type UnaryKernelName = keyof typeof UNARY_OPS;

/** out[i] = f(in[i]) for `n` floats at offsets (float elements) of the backend heap; `op` from {@link UNARY_OPS}. */
export type UnaryKernel = (op: number, inOff: number, outOff: number, n: number) => void;

/**
 * Self-check tolerance of the vectorized exp/log family against tfjs's cpu kernels (float64 Math.* rounded to
 * float32): Cephes's polynomials are within 4e-7 relative (measured over 2e5 points per function), tanh and
 * sigmoid within 1e-7 absolute.
 */
export const UNARY_TOLERANCE: Tolerance = { atol: 1e-6, rtol: 2e-6 };

/**
 * Inputs of the self-check, from uniform r ∈ [−1, 1): each function over the range where it is not flat,
 * including large and tiny magnitudes (exp to e^±20, log of e^−20…e^20, log1p down to −0.999).
 */
const DOMAIN: Record<UnaryKernelName, (r: number) => number> = {
  Exp: (r) => 20 * r,
  Log: (r) => Math.exp(20 * r),
  Log1p: (r) => (r < 0 ? 0.999 * r : Math.expm1(10 * r)),
  Softplus: (r) => 30 * r,
  Tanh: (r) => 6 * r * Math.abs(r),
  Sigmoid: (r) => 20 * r,
};

/**
 * Override of one exp/log-family kernel on the wasm backend: one vectorized pass over the wasm heap.
 * tfjs-backend-wasm 4.22 runs these through scalar libm calls (Exp ≈ 16 ns and Log1p ≈ 8 ns per element on
 * the bench machine, against < 1 ns for Add/Mul).
 * @param kernelName - `Exp`, `Log`, `Log1p`, `Softplus`, `Tanh` or `Sigmoid`
 * @param tier - `native` (the addon's C++) or `pure` (the hand-emitted wasm SIMD module)
 * @param kernelFor - the vectorized kernel on a backend's heap, or null where unavailable (then stock runs)
 * @returns the override spec (non-float32 inputs go to the stock kernel)
 */
export function unaryOverride(kernelName: UnaryKernelName, tier: 'pure' | 'native', kernelFor: (be: WasmBackendInternals) => UnaryKernel | null): KernelOverrideSpec {
  const op = UNARY_OPS[kernelName];
  return {
    kernelName,
    backendName: 'wasm',
    tier,
    run: (args: KernelArgs): TensorInfo | null => {
      const x = args.inputs['x'];
      const be = wasmInternals(args.backend);
      if (!x || x.dtype !== 'float32' || !be) return null;
      const kernel = kernelFor(be);
      if (!kernel) return null;
      const out = be.makeOutput(x.shape, 'float32');
      const n = x.shape.reduce((p, d) => p * d, 1);
      if (n > 0) kernel(op, heapOffset(be, x), heapOffset(be, out), n);
      return out;
    },
    variantKey: (args) => String(args.inputs['x']?.dtype),
    checkCase: (args, random): CheckCase | null => {
      if (args.inputs['x']?.dtype !== 'float32') return null;
      // 3×7 = 21 elements: two full 8-lane (or five 4-lane) blocks and a tail.
      const values = Float32Array.from({ length: 21 }, () => DOMAIN[kernelName](random()));
      return { inputs: { x: { shape: [3, 7], values } }, attrs: {} };
    },
    tolerance: UNARY_TOLERANCE,
  };
}

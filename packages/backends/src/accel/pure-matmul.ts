import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec, SingleKernelFunc } from './kernel-types.js';
import { matMulCheckCase, matMulVariantKey } from './matmul-geometry.js';

/** Self-check tolerance of the matmul overrides: k=5 float32 products of |x| < 1 differ by a few ulp. */
export const MATMUL_TOLERANCE = { atol: 1e-5, rtol: 1e-4 } as const;

/**
 * Materialize the transpose of the last two axes with the backend's own Transpose kernel.
 * @param x - input
 * @param args - the call (for the backend)
 * @param backendName - whose Transpose kernel to use
 * @returns a new tensor the caller must dispose with `backend.disposeData`
 */
export function transposeLastTwo(x: TensorInfo, args: KernelArgs, backendName: string): TensorInfo {
  const kernel = tf.getKernel('Transpose', backendName);
  if (!kernel) throw new Error(`backend "${backendName}" has no Transpose kernel`);
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return (kernel.kernelFunc as unknown as SingleKernelFunc)({ inputs: { x }, backend: args.backend, attrs: { perm } });
}

/**
 * Run `below` on inputs whose transposes were materialized first, so it takes its fast, transpose-free path.
 * @param args - the call
 * @param below - kernel to run
 * @param backendName - backend of the Transpose kernel
 * @returns the output, or null when there is no transpose to remove
 */
function withoutTransposes(args: KernelArgs, below: SingleKernelFunc, backendName: string): TensorInfo | null {
  const { a, b } = args.inputs;
  const tA = Boolean(args.attrs['transposeA']);
  const tB = Boolean(args.attrs['transposeB']);
  if (!a || !b || (!tA && !tB) || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const temps: TensorInfo[] = [];
  try {
    const a2 = tA ? transposeLastTwo(a, args, backendName) : a;
    if (tA) temps.push(a2);
    const b2 = tB ? transposeLastTwo(b, args, backendName) : b;
    if (tB) temps.push(b2);
    return below({ inputs: { ...args.inputs, a: a2, b: b2 }, backend: args.backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
  } finally {
    for (const t of temps) args.backend.disposeData(t.dataId, true);
  }
}

/**
 * Pure-tier override of a matmul kernel: transposes are materialized with the Transpose kernel and the
 * plain kernel is called (tfjs-wasm 4.22's BatchMatMul is ~10–50× slower with transposeA/transposeB).
 * @param kernelName - `BatchMatMul` or `_FusedMatMul`
 * @param backendName - backend, e.g. `wasm`
 * @returns the override spec
 */
export function pureMatMulOverride(kernelName: 'BatchMatMul' | '_FusedMatMul', backendName: string): KernelOverrideSpec {
  return {
    kernelName,
    backendName,
    tier: 'pure',
    run: (args, below) => withoutTransposes(args, below, backendName),
    variantKey: matMulVariantKey,
    checkCase: (args, random) =>
      args.attrs['transposeA'] || args.attrs['transposeB'] ? matMulCheckCase(args, random) : null,
    tolerance: MATMUL_TOLERANCE,
  };
}

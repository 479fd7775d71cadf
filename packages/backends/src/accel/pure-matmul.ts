import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec, SingleKernelFunc } from './kernel-types.js';
import { heapTranspose } from './heap-transpose.js';
import { matMulCheckCase, matMulVariantKey } from './matmul-geometry.js';
import { wasmInternals } from './wasm-internals.js';

/** Self-check tolerance of the matmul overrides: k=5 float32 products of |x| < 1 differ by a few ulp. */
export const MATMUL_TOLERANCE = { atol: 1e-5, rtol: 1e-4 } as const;

/**
 * Materialize the transpose of the last two axes: a blocked JS loop on the wasm heap, else the backend's
 * own Transpose kernel.
 * @param x - input
 * @param args - the call (for the backend)
 * @param backendName - whose Transpose kernel to use when the heap is not reachable
 * @returns a new tensor the caller must dispose with `backend.disposeData`
 */
export function transposeLastTwo(x: TensorInfo, args: KernelArgs, backendName: string): TensorInfo {
  const be = x.dtype === 'float32' ? wasmInternals(args.backend) : null;
  if (be) return heapTranspose(be, x);
  const kernel = tf.getKernel('Transpose', backendName);
  if (!kernel) throw new Error(`backend "${backendName}" has no Transpose kernel`);
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return (kernel.kernelFunc as unknown as SingleKernelFunc)({ inputs: { x }, backend: args.backend, attrs: { perm } });
}

const size = (t: TensorInfo): number => t.shape.reduce((p, d) => p * d, 1);

/**
 * Run `below` without transposes: op(A)·op(B) with the transposed operands materialized, or, when cheaper
 * for an unfused call with one transpose, as the transpose of op(B)ᵀ·op(A)ᵀ (moving the transpose to the
 * smaller operand and the output: dX = dY·Wᵀ transposes dY and dX instead of the weight matrix W).
 * @param args - the call
 * @param below - kernel to run
 * @param backendName - backend of the Transpose kernel
 * @param fused - whether the call carries bias/activation (then the output is never transposed)
 * @returns the output, or null when there is no transpose to remove
 */
function withoutTransposes(args: KernelArgs, below: SingleKernelFunc, backendName: string, fused: boolean): TensorInfo | null {
  const { a, b } = args.inputs;
  const tA = Boolean(args.attrs['transposeA']);
  const tB = Boolean(args.attrs['transposeB']);
  if (!a || !b || (!tA && !tB) || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const temps: TensorInfo[] = [];
  const t = (x: TensorInfo): TensorInfo => {
    const y = transposeLastTwo(x, args, backendName);
    temps.push(y);
    return y;
  };
  const plain = (x: TensorInfo, y: TensorInfo): TensorInfo =>
    below({ inputs: { ...args.inputs, a: x, b: y }, backend: args.backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
  try {
    const sameRank = a.shape.length === b.shape.length;
    if (!fused && sameRank && tA !== tB) {
      // A·Bᵀ = (B·Aᵀ)ᵀ and Aᵀ·B = (Bᵀ·A)ᵀ: transpose the operand that is transposed or the other one plus the output.
      const outSize = size(a) / (tA ? a.shape.at(-2)! : a.shape.at(-1)!) * (tB ? b.shape.at(-2)! : b.shape.at(-1)!);
      const direct = tB ? size(b) : size(a);
      const swapped = (tB ? size(a) : size(b)) + outSize;
      if (swapped < direct) {
        const c = tB ? plain(b, t(a)) : plain(t(b), a);
        temps.push(c);
        const out = transposeLastTwo(c, args, backendName);
        return out;
      }
    }
    return plain(tA ? t(a) : a, tB ? t(b) : b);
  } finally {
    for (const x of temps) args.backend.disposeData(x.dataId, true);
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
    run: (args, below) => withoutTransposes(args, below, backendName, kernelName === '_FusedMatMul'),
    variantKey: matMulVariantKey,
    checkCase: (args, random) =>
      args.attrs['transposeA'] || args.attrs['transposeB'] ? matMulCheckCase(args, random) : null,
    tolerance: MATMUL_TOLERANCE,
  };
}

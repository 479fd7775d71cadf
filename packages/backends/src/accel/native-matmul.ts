import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec } from './kernel-types.js';
import { matMulCheckCase, matMulGeometry, matMulVariantKey } from './matmul-geometry.js';
import type { NativeBlas } from './native-blas-module.js';
import { MATMUL_TOLERANCE } from './pure-matmul.js';
import { heapOffset, wasmInternals } from './wasm-internals.js';

/**
 * op(A)·op(B) (+ bias, ReLU) with the addon's sgemm directly on the wasm heap, or null when not handled
 * (non-float32, other broadcasts, PReLU and activations other than linear/relu, bias not of size n).
 */
function nativeMatMul(blas: NativeBlas, args: KernelArgs, fused: boolean): TensorInfo | null {
  const { a, b, bias, preluActivationWeights } = args.inputs;
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const be = wasmInternals(args.backend);
  if (!be) return null;
  const tA = Boolean(args.attrs['transposeA']);
  const tB = Boolean(args.attrs['transposeB']);
  const g = matMulGeometry(a, b, tA, tB);
  if (!g) return null;
  let act: 0 | 1 = 0;
  if (fused) {
    const activation = String(args.attrs['activation'] ?? 'linear');
    if (preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return null;
    if (bias && (bias.dtype !== 'float32' || bias.shape.reduce((p, x) => p * x, 1) !== g.n || bias.shape.at(-1) !== g.n)) return null;
    act = activation === 'relu' ? 1 : 0;
  }
  const out = be.makeOutput(g.outShape, 'float32');
  if (g.m * g.n === 0) return out;
  const heap = be.wasm.HEAPF32; // read after makeOutput: allocation may have grown the heap
  const aOff = heapOffset(be, a);
  const bOff = heapOffset(be, b);
  const cOff = heapOffset(be, out);
  const strideA = g.batchA === 1 ? 0 : g.m * g.k;
  const strideB = g.batchB === 1 ? 0 : g.k * g.n;
  const lda = tA ? g.m : g.k;
  const ldb = tB ? g.k : g.n;
  for (let i = 0; i < g.batch; i++) {
    blas.sgemm(heap, tA, tB, g.m, g.n, g.k, 1, aOff + i * strideA, lda, bOff + i * strideB, ldb, 0, cOff + i * g.m * g.n, g.n);
  }
  if (fused && (bias || act !== 0)) blas.biasAct(heap, cOff, g.batch * g.m, g.n, bias ? heapOffset(be, bias) : -1, act);
  return out;
}

/**
 * Native-tier override of a matmul kernel on the wasm backend: the addon's sgemm (its own AVX-512 kernel or
 * OpenBLAS) on the wasm heap, no copies.
 * @param kernelName - `BatchMatMul` or `_FusedMatMul`
 * @param blas - the loaded `@vib/native-blas` addon
 * @returns the override spec
 */
export function nativeMatMulOverride(kernelName: 'BatchMatMul' | '_FusedMatMul', blas: NativeBlas): KernelOverrideSpec {
  const fused = kernelName === '_FusedMatMul';
  return {
    kernelName,
    backendName: 'wasm',
    tier: 'native',
    run: (args) => nativeMatMul(blas, args, fused),
    variantKey: matMulVariantKey,
    checkCase: matMulCheckCase,
    tolerance: MATMUL_TOLERANCE,
  };
}

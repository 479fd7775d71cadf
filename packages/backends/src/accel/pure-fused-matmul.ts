import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec, SingleKernelFunc } from './kernel-types.js';
import { matMulCheckCase, matMulVariantKey } from './matmul-geometry.js';
import { MATMUL_TOLERANCE, gemmAvailable, rightOperandSeen } from './pure-matmul.js';
import { rowsFusedMatMul } from './pure-rows-matmul.js';
import { simdKernels } from './simd-kernels.js';
import { heapOffset, wasmInternals } from './wasm-internals.js';

/** Stock kernels for the activations _FusedMatMul supports (wasm's SIMD elementwise kernels beat a JS loop). */
const ACTIVATION_KERNELS: Record<string, string> = { relu: 'Relu', elu: 'Elu', relu6: 'Relu6', sigmoid: 'Sigmoid', leakyrelu: 'LeakyRelu', prelu: 'Prelu' };

/** Run a stock kernel of the backend, disposing `x` (an intermediate) afterwards. */
function then(args: KernelArgs, backendName: string, kernelName: string, inputs: Record<string, TensorInfo>, attrs: Record<string, number> = {}): TensorInfo {
  const kernel = tf.getKernel(kernelName, backendName);
  if (!kernel) throw new Error(`backend "${backendName}" has no ${kernelName} kernel`);
  const out = (kernel.kernelFunc as unknown as SingleKernelFunc)({ inputs, backend: args.backend, attrs });
  args.backend.disposeData((inputs['x'] ?? inputs['a'] as TensorInfo).dataId, true);
  return out;
}

/** Whether a bias holds one value per output column (shape [n], [1, n], …), added to every row. */
const isRowBias = (bias: TensorInfo, n: number): boolean => bias.shape[bias.shape.length - 1] === n && bias.shape.every((d, i) => i === bias.shape.length - 1 || d === 1);

/**
 * _FusedMatMul as BatchMatMul (the registered kernel, so the transpose-free path) followed by the bias and a linear or
 * ReLU activation in one pass of the SIMD module where it runs, else by the stock Add (bias) and activation kernels.
 * This also avoids tfjs-backend-wasm 4.22's _FusedMatMul, which misplaces the bias in some calls (transposeB,
 * batch > 1; found by the self-check, verified against NumPy).
 * @param args - the call
 * @param backendName - backend
 * @returns the output, or null for non-float32 inputs
 */
function fusedMatMul(args: KernelArgs, backendName: string): TensorInfo | null {
  const { a, b, bias, preluActivationWeights } = args.inputs;
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32' || (bias && bias.dtype !== 'float32')) return null;
  const activation = String(args.attrs['activation'] ?? 'linear');
  if (activation !== 'linear' && !ACTIVATION_KERNELS[activation]) return null;
  const tA = Boolean(args.attrs['transposeA']);
  const tB = Boolean(args.attrs['transposeB']);
  // Without the SIMD GEMM, a weight already packed by the stock kernel (inference, evaluation): its fused call is the
  // fastest path, and without transposes or batches it places the bias right. (The GEMM, packing included, measured
  // 8 % faster than the packed stock kernel on the VIB inference.)
  if (!tA && !tB && a.shape.length === 2 && b.shape.length === 2 && rightOperandSeen(b) && !gemmAvailable(args.backend)) return null;
  // a weight with a kept packing (inference, evaluation): by rows, the bias pass and the listing of a ReLU output's
  // nonzeros in the same pieces (pure-rows-matmul.ts)
  if (bias && (activation === 'linear' || activation === 'relu') && isRowBias(bias, b.shape[b.shape.length - 1] ?? 0)) {
    const byRows = rowsFusedMatMul(args, bias, activation === 'relu');
    if (byRows) return byRows;
  }
  const matmul = tf.getKernel('BatchMatMul', backendName);
  if (!matmul) return null;
  let out = (matmul.kernelFunc as unknown as SingleKernelFunc)({
    inputs: { a, b },
    backend: args.backend,
    attrs: { transposeA: tA, transposeB: tB },
  });
  // bias by columns, then linear or ReLU: in place on the matmul's own new output, in one SIMD pass (the stock Add
  // with broadcasting took 0.13-0.16 ms per VIB layer, about 5 % of the pure inference step)
  const be = wasmInternals(args.backend);
  const kernels = be && simdKernels(be);
  const n = out.shape[out.shape.length - 1] ?? 0;
  const size = out.shape.reduce((p, d) => p * d, 1);
  if (be && kernels && bias && n > 0 && isRowBias(bias, n) && (activation === 'linear' || activation === 'relu')) {
    kernels.biasAct(heapOffset(be, out), size / n, n, heapOffset(be, bias), activation === 'relu');
    return out;
  }
  if (bias) out = then(args, backendName, 'Add', { a: out, b: bias });
  const kernel = ACTIVATION_KERNELS[activation];
  if (kernel === 'Prelu') {
    if (!preluActivationWeights) throw new Error('_FusedMatMul with activation prelu needs preluActivationWeights');
    out = then(args, backendName, 'Prelu', { x: out, alpha: preluActivationWeights });
  } else if (kernel) {
    out = then(args, backendName, kernel, { x: out }, kernel === 'LeakyRelu' ? { alpha: Number(args.attrs['leakyreluAlpha'] ?? 0.2) } : {});
  }
  return out;
}

/**
 * Pure-tier override of _FusedMatMul: transpose-free matmul plus bias and activation (see {@link fusedMatMul}).
 * @param backendName - backend, e.g. `wasm`
 * @returns the override spec
 */
export function pureFusedMatMulOverride(backendName: string): KernelOverrideSpec {
  return {
    kernelName: '_FusedMatMul',
    backendName,
    tier: 'pure',
    run: (args) => fusedMatMul(args, backendName),
    variantKey: matMulVariantKey,
    checkCase: matMulCheckCase,
    tolerance: MATMUL_TOLERANCE,
  };
}

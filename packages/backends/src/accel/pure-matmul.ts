import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec, SingleKernelFunc } from './kernel-types.js';
import { heapTranspose } from './heap-transpose.js';
import { matMulCheckCase, matMulGeometry, matMulVariantKey } from './matmul-geometry.js';
import { simdKernels } from './simd-kernels.js';
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

/** Attribute that pins the plan of a call (set by the self-check, so it checks the plan big calls take). */
export const PLAN_ATTR = 'vibMatMulPlan';

/** How a matmul runs: the kernel below as is, op(A)·op(B) with transposes materialized, or (op(B)ᵀ·op(A)ᵀ)ᵀ. */
export type MatMulPlan = 'below' | 'direct' | 'swapped';

/**
 * Cost model, in ns per element (measured on the VIB shapes, this machine): XNNPACK packs the right operand
 * of every call whose tensor it has not seen (tfjs-wasm caches packed weights by tensor id, and weights change
 * every step) at ~11 ns/element; a SIMD transpose costs ~1.5 ns/element, the JS fallback ~8.
 */
const PACK_NS = 11;
const transposeNs = (backend: KernelArgs['backend']): number => {
  const be = wasmInternals(backend);
  return be && simdKernels(be) ? 1.5 : 8;
};

/**
 * Right operands (by tensor id) that matmul calls have already taken. A tensor seen twice is a weight that
 * stays put between calls (inference, evaluation): tfjs-wasm has packed it once and reuses the packing, so
 * running it through the stock kernel costs no packing at all. Weights updated by Adam get a new id each
 * step, so training never hits this. Weak: ids of disposed tensors go away with them.
 */
const seenRight = new WeakSet<object>();

/**
 * Whether a right operand was already taken by an earlier matmul call (see {@link seenRight}).
 * @param b - right operand
 * @returns true when its packing is cached by the stock kernel
 */
export function rightOperandSeen(b: TensorInfo): boolean {
  return seenRight.has(b.dataId as object);
}

/**
 * Remember a right operand (see {@link seenRight}).
 * @param b - right operand
 */
export function markRightOperand(b: TensorInfo): void {
  seenRight.add(b.dataId as object);
}

/**
 * Choose the plan of a call: for single-batch float32 calls whose right operand is new (not a cached weight,
 * see {@link rightOperandSeen}), whichever of C = op(A)·op(B) (packs K·N) and
 * Cᵀ = op(B)ᵀ·op(A)ᵀ (packs K·M, transposes the output) costs less in transposes plus packing. The forward
 * X·W (M = batch) then packs Xᵀ instead of the freshly updated weight W.
 * @param args - the call
 * @param fused - whether the call carries bias/activation (then the output is never transposed)
 * @returns the plan
 */
export function matMulPlan(args: KernelArgs, fused: boolean): MatMulPlan {
  const pinned = String(args.attrs[PLAN_ATTR]);
  if (pinned === 'below' || pinned === 'direct' || pinned === 'swapped') return pinned;
  const { a, b } = args.inputs;
  const tA = Boolean(args.attrs['transposeA']);
  const tB = Boolean(args.attrs['transposeB']);
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return 'below';
  const g = matMulGeometry(a, b, tA, tB);
  if (!g) return 'below';
  const { m, k, n } = g;
  const single = g.batchA === 1 && g.batchB === 1 && a.shape.length === b.shape.length;
  if (fused || !single) return tA || tB ? 'direct' : 'below';
  if (!tB && rightOperandSeen(b)) return tA ? 'direct' : 'below';
  const tau = transposeNs(args.backend);
  const direct = tau * ((tA ? m * k : 0) + (tB ? k * n : 0)) + PACK_NS * k * n;
  const swapped = tau * ((tA ? 0 : m * k) + (tB ? 0 : k * n) + m * n) + PACK_NS * k * m;
  if (swapped < direct) return 'swapped';
  return tA || tB ? 'direct' : 'below';
}

/**
 * Run `below` without transposes, by the plan of {@link matMulPlan}.
 * @param args - the call
 * @param below - kernel to run
 * @param backendName - backend of the Transpose kernel
 * @param fused - whether the call carries bias/activation
 * @returns the output, or null to hand the call to `below` unchanged
 */
function withoutTransposes(args: KernelArgs, below: SingleKernelFunc, backendName: string, fused: boolean): TensorInfo | null {
  const plan = matMulPlan(args, fused);
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  if (b) markRightOperand(b);
  if (plan === 'below') return null;
  const tA = Boolean(args.attrs['transposeA']);
  const tB = Boolean(args.attrs['transposeB']);
  const temps: TensorInfo[] = [];
  const t = (x: TensorInfo): TensorInfo => {
    const y = transposeLastTwo(x, args, backendName);
    temps.push(y);
    return y;
  };
  const attrs: KernelArgs['attrs'] = { ...args.attrs, transposeA: false, transposeB: false };
  delete attrs[PLAN_ATTR];
  const plain = (x: TensorInfo, y: TensorInfo): TensorInfo => below({ inputs: { ...args.inputs, a: x, b: y }, backend: args.backend, attrs });
  try {
    if (plan === 'direct') return plain(tA ? t(a) : a, tB ? t(b) : b);
    const c = plain(tB ? b : t(b), tA ? a : t(a));
    temps.push(c);
    return transposeLastTwo(c, args, backendName);
  } finally {
    for (const x of temps) args.backend.disposeData(x.dataId, true);
  }
}

/**
 * Pure-tier override of a matmul kernel: transposes are materialized on the heap and the plain kernel is
 * called (tfjs-wasm 4.22's BatchMatMul is ~10–50× slower with transposeA/transposeB), in the orientation
 * that packs the smaller right operand (see {@link matMulPlan}). Each plan is self-checked separately.
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
    variantKey: (args) => `${matMulVariantKey(args)} plan=${matMulPlan(args, kernelName === '_FusedMatMul')}`,
    checkCase: (args, random) => {
      const plan = matMulPlan(args, kernelName === '_FusedMatMul');
      const c = plan === 'below' ? null : matMulCheckCase(args, random);
      return c && { ...c, attrs: { ...c.attrs, [PLAN_ATTR]: plan } };
    },
    tolerance: MATMUL_TOLERANCE,
  };
}

import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, KernelOverrideSpec, SingleKernelFunc } from './kernel-types.js';
import { heapTranspose } from './heap-transpose.js';
import { forgetListed, listedFor } from './listed-outputs.js';
import { matMulCheckCase, matMulGeometry, matMulVariantKey } from './matmul-geometry.js';
import { checkKeptPacking, forgetPackings, keptPackingVerdict, packingFilled, packingFor, takenBefore } from './packed-weights.js';
import { gemmKeptScratch, gemmScratch, simdKernels, type GemmResult } from './simd-kernels.js';
import { mayBeSparse, sparseCheck } from './sparse-product.js';
import { forgetPackedCopies, heapOffset, makeAlignedScratch, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

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

/**
 * How a matmul runs: the SIMD module's GEMM (`gemm`), the kernel below as is, op(A)·op(B) with transposes
 * materialized, or (op(B)ᵀ·op(A)ᵀ)ᵀ.
 */
export type MatMulPlan = 'gemm' | 'below' | 'direct' | 'swapped';

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
 * running it through the stock kernel costs no packing at all. A weight the fused Adam updates in place is
 * forgotten here when tfjs-wasm is told to drop its packing ({@link wroteInPlace}); one `assign`ed gets a
 * new id. Either way training does not hit this. Weak: ids of disposed tensors go away with them.
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
 * Announce that a tensor's values were written in place (the fused Adam's weights, the in-place EMA's averages), so
 * that no later product multiplies by its old values: tfjs-wasm drops what its kernels packed from it
 * (`forgetPackedCopies`), the GEMM drops its kept packings of it (see `packed-weights.ts`) and any list of its
 * nonzeros (`listed-outputs.ts`), and the cost model forgets it (see {@link seenRight}). Every in-place writer calls
 * this one function, so none can drop one cache and leave another stale (the in-place EMA once did).
 * @param be - its backend (where tfjs-wasm's registry is out of reach, see `canForgetPackedCopies`, a writer must not
 *   write in place)
 * @param t - the tensor
 */
export function wroteInPlace(be: WasmBackendInternals, t: TensorInfo): void {
  forgetPackedCopies(be, t);
  forgetPackings(be, t);
  forgetListed(be, t);
  seenRight.delete(t.dataId as object);
}

/**
 * Remember a right operand (see {@link seenRight}).
 * @param b - right operand
 */
export function markRightOperand(b: TensorInfo): void {
  seenRight.add(b.dataId as object);
}

/**
 * Whether the SIMD module's GEMM can run on this backend (the wasm heap is reachable and wasm SIMD works).
 * @param backend - the call's backend
 * @returns true where {@link matMulPlan} picks `gemm`
 */
export function gemmAvailable(backend: KernelArgs['backend']): boolean {
  const be = wasmInternals(backend);
  return be !== null && simdKernels(be) !== null;
}

/**
 * Choose the plan of a call: unfused float32 calls take the SIMD module's GEMM where it runs (`gemm`: 1.1–1.8× XNNPACK
 * on the VIB shapes, which repacks the freshly updated weights every training step). Otherwise, for single-batch
 * float32 calls whose right operand is new (not a cached weight, see {@link rightOperandSeen}), whichever of
 * C = op(A)·op(B) (packs K·N) and
 * Cᵀ = op(B)ᵀ·op(A)ᵀ (packs K·M, transposes the output) costs less in transposes plus packing. The forward
 * X·W (M = batch) then packs Xᵀ instead of the freshly updated weight W.
 * @param args - the call
 * @param fused - whether the call carries bias/activation (then the output is never transposed)
 * @param gemm - whether the SIMD GEMM runs here (default: {@link gemmAvailable}; the cost-model tests turn it off)
 * @returns the plan
 */
export function matMulPlan(args: KernelArgs, fused: boolean, gemm = gemmAvailable(args.backend)): MatMulPlan {
  const pinned = String(args.attrs[PLAN_ATTR]);
  if (pinned === 'gemm' || pinned === 'below' || pinned === 'direct' || pinned === 'swapped') return pinned;
  const { a, b } = args.inputs;
  const tA = Boolean(args.attrs['transposeA']);
  const tB = Boolean(args.attrs['transposeB']);
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return 'below';
  const g = matMulGeometry(a, b, tA, tB);
  if (!g) return 'below';
  if (!fused && gemm) return 'gemm';
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
 * op(A)·op(B) with the SIMD module's GEMM, one GEMM per batch: B's transpose folded into its packing, and A's into
 * the packing of its rows where `transposeA` (A is transposed on the heap first only where it may take the sparse
 * GEMM, whose list of nonzeros reads A's rows). A single right operand that an earlier call took the same way (a weight at
 * inference or evaluation) keeps its packing for later calls (`packed-weights.ts`): the VIB inference step packs
 * 2.1M weights otherwise, every batch.
 * @param args - the call (float32 inputs of a shape {@link matMulGeometry} takes)
 * @returns the output, or null where the heap or the SIMD module is not reachable
 */
function gemmMatMul(args: KernelArgs): TensorInfo | null {
  const be = wasmInternals(args.backend);
  const kernels = be && simdKernels(be);
  const { a, b } = args.inputs;
  if (!be || !kernels || !a || !b) return null;
  const tA = Boolean(args.attrs['transposeA']);
  const tB = Boolean(args.attrs['transposeB']);
  const g = matMulGeometry(a, b, tA, tB);
  if (!g) return null;
  const temps: TensorInfo[] = [];
  try {
    const sparseAllowed = sparseCheck.verdict !== 'failed';
    // A transposed: packed from Aᵀ as it is stored, in one pass, unless A may take the sparse GEMM, whose list of
    // nonzeros reads A's rows (then A is transposed on the heap first)
    const packedT = tA && !(sparseAllowed && mayBeSparse(be.wasm.HEAPF32, heapOffset(be, a), g.m, g.k, g.n));
    const left = tA && !packedT ? heapTranspose(be, a) : a;
    if (left !== a) temps.push(left);
    const out = be.makeOutput(g.outShape, 'float32');
    if (g.m * g.n === 0) return out;
    const verdict = keptPackingVerdict();
    const kept = verdict !== 'failed' && g.batchB === 1 && takenBefore(b, tB) ? packingFor(be, b, tB, g.k, g.n) : null;
    const scratch = makeAlignedScratch(be, kept ? gemmKeptScratch(g.m, g.k) : gemmScratch(g.m, g.k, g.n));
    temps.push(scratch.info);
    const sOff = scratch.off;
    const [aOff, bOff, cOff] = [heapOffset(be, left), heapOffset(be, b), heapOffset(be, out)];
    const strideA = g.batchA === 1 ? 0 : g.m * g.k;
    const strideB = g.batchB === 1 ? 0 : g.k * g.n;
    type Packed = Parameters<typeof kernels.gemm>[8];
    // A's nonzeros, where the fused product that computed A listed them (a single A, not transposed)
    const listed = !tA && g.batchA === 1 ? listedFor(be, a, g.m, g.k) ?? undefined : undefined;
    const multiply = (c: number, s: number, packed: (i: number) => Packed, sparse: boolean): GemmResult[] =>
      Array.from({ length: g.batch }, (_, i) => kernels.gemm(aOff + i * strideA, bOff + i * strideB, c + i * g.m * g.n, g.m, g.k, g.n, tB, s, packed(i), sparse, listed, false, packedT));
    // an A with many zeros may take the sparse GEMM (where B is finite), unless its self-check failed
    const took = multiply(cOff, sOff, (i) => (kept ? { off: kept.off, ready: kept.ready || i > 0, finite: kept.finite } : undefined), sparseAllowed && !packedT);
    // the first product (batch 0) fills a kept packing that is not ready
    if (kept) packingFilled(kept.packing, took[0]?.finite === true);
    checkSparseOnce(be, took, cOff, g.batch * g.m * g.n, (denseOff) => void multiply(denseOff, sOff, () => (kept ? { off: kept.off, ready: true } : undefined), false));
    // the first product that read a kept packing throughout: the same product packed afresh, bit for bit
    if (kept?.ready && verdict === 'unchecked') {
      checkKeptPacking(() => {
        const fresh = be.makeOutput(g.outShape, 'float32');
        const freshScratch = makeAlignedScratch(be, gemmScratch(g.m, g.k, g.n));
        temps.push(fresh, freshScratch.info);
        const freshOff = heapOffset(be, fresh);
        multiply(freshOff, freshScratch.off, () => undefined, false);
        return agreeOrTake(be, cOff, freshOff, g.batch * g.m * g.n);
      });
    }
    return out;
  } finally {
    for (const x of temps) args.backend.disposeData(x.dataId, true);
  }
}

/**
 * A self-check's comparison: where the product at `out` differs in its bits from the reference at `ref`, copy the
 * reference over it (a disagreement returns the reference product).
 * @returns what disagreed, or null
 */
export function agreeOrTake(be: WasmBackendInternals, out: number, ref: number, size: number): string | null {
  const problem = firstDifference(be, out, ref, size);
  if (problem !== null) be.wasm.HEAPF32.copyWithin(out, ref, ref + size);
  return problem;
}

/**
 * The sparse GEMM's first-use check: where a product just took the sparse GEMM (`took`) and none has been checked
 * yet, the same product by the dense GEMM (`dense` writes it at the float offset it is given, scratch freed after),
 * bit for bit against the one at `out`; on a disagreement the dense product replaces it and the sparse GEMM is off.
 * @param be - wasm internals
 * @param took - how each GEMM of the product ran
 * @param out - the product's float offset
 * @param size - its floats
 * @param dense - writes the product by the dense GEMM at a float offset
 */
export function checkSparseOnce(be: WasmBackendInternals, took: readonly GemmResult[], out: number, size: number, dense: (off: number) => void): void {
  if (!took.some((r) => r.path === 'sparse') || sparseCheck.verdict !== 'unchecked') return;
  sparseCheck.run(() => {
    const ref = makeAlignedScratch(be, size);
    try {
      dense(ref.off);
      return agreeOrTake(be, out, ref.off, size);
    } finally {
      be.disposeData(ref.info.dataId, true);
    }
  });
}

/** Where two float32 runs of the heap differ in their bits, as a message, or null where they agree. */
function firstDifference(be: WasmBackendInternals, x: number, y: number, length: number): string | null {
  const bits = new Uint32Array(be.wasm.HEAPF32.buffer);
  for (let e = 0; e < length; e++) {
    if (bits[x + e] !== bits[y + e]) return `element ${e}: ${be.wasm.HEAPF32[x + e]} against ${be.wasm.HEAPF32[y + e]}`;
  }
  return null;
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
  if (plan === 'gemm') return gemmMatMul(args);
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
      // the GEMM's check takes a 4-row block and a 2-row tail, a whole panel and a partial one, and a k mod 4 tail
      const c = plan === 'below' ? null : matMulCheckCase(args, random, plan === 'gemm' ? [6, 7, 11] : undefined);
      return c && { ...c, attrs: { ...c.attrs, [PLAN_ATTR]: plan } };
    },
    tolerance: MATMUL_TOLERANCE,
  };
}

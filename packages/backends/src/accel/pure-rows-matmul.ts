import type { TensorInfo } from '@tensorflow/tfjs';
import { comparisonCheck } from './first-use.js';
import type { KernelArgs } from './kernel-types.js';
import { matMulGeometry } from './matmul-geometry.js';
import { forgetListed, listTarget, listedFor, type ListTarget } from './listed-outputs.js';
import { keptPackingVerdict, readyPacking } from './packed-weights.js';
import { agreeOrTake } from './pure-matmul.js';
import { MIN_PART_ROWS } from './row-product.js';
import { gemmKeptScratch, simdKernels, type SimdKernels } from './simd-kernels.js';
import { listedTerms, sparseCheck, sparseEnough, sparseScratch } from './sparse-product.js';
import { heapOffset, makeAlignedScratch, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

/**
 * Products this large (multiply-adds) and larger run by rows; smaller ones take the GEMM, then the bias pass. The
 * inference's smallest product by rows, 100×1024×256, has 2.6·10⁷.
 */
const ROWS_MIN = 1 << 20;

/**
 * The product by rows' first-use self-check (the tier's install arms it): the first product by rows is computed
 * again as the GEMM (dense), then the bias pass, and compared bit for bit, and so is the list of its output's
 * nonzeros with one made afresh. On a disagreement it warns once, the GEMM's output is used, and no product runs by
 * rows until the tier is installed again.
 */
export const rowsCheck = comparisonCheck((problem, warn) =>
  warn(`@vib/backends: a fused product of the pure GEMM by rows disagrees with the GEMM then its bias pass (${problem}); products by rows off from now on.`),
);

/**
 * _FusedMatMul C = A·B + bias, linear or ReLU, as a product by rows (`row-product.ts`), where it applies: float32,
 * A and B single matrices (2-D, or batches of one) not transposed, B with a filled kept packing (a weight at inference
 * or evaluation, after the kept packings' self-check passed), n a multiple of 8, k of 4, m at least two parts of rows
 * (32), {@link ROWS_MIN} multiply-adds. A takes the sparse GEMM where a product by rows listed its nonzeros (or it
 * looks sparse here and is listed now), few enough, and B is finite. A ReLU output's nonzeros are listed for the next
 * product (`listed-outputs.ts`).
 * @param args - the call
 * @param bias - the bias, one value per output column (the caller checked its shape)
 * @param relu - ReLU, else linear
 * @returns the output, or null where a product by rows does not apply (the caller runs the GEMM, then the bias pass)
 */
export function rowsFusedMatMul(args: KernelArgs, bias: TensorInfo, relu: boolean): TensorInfo | null {
  const { a, b } = args.inputs;
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32' || bias.dtype !== 'float32') return null;
  if (args.attrs['transposeA'] || args.attrs['transposeB'] || rowsCheck.verdict === 'failed' || keptPackingVerdict() !== 'passed') return null;
  // (tf.fused.matMul hands its 2-D operands over as batches of one)
  const g = matMulGeometry(a, b, false, false);
  if (!g || g.batch !== 1) return null;
  const { m, k, n } = g;
  if (n % 8 !== 0 || k % 4 !== 0 || m < 2 * MIN_PART_ROWS || m * k * n < ROWS_MIN) return null;
  const be = wasmInternals(args.backend);
  const kernels = be && simdKernels(be);
  const kept = be && readyPacking(be, b, k, n);
  if (!be || !kernels || !kept) return null;
  const temps: TensorInfo[] = [];
  try {
    const out = be.makeOutput(g.outShape, 'float32');
    // allocations first: heap offsets are read after them
    const target = relu ? listTarget(be, out, m, n, a) : null;
    // A's nonzeros, where the sparse GEMM may run (B finite): as listed by the product that computed A, else listed
    // here where A looks sparse, into the scratch that the dense GEMM otherwise packs A's rows into (none is needed
    // for a list sparse enough)
    const canSparse = kept.finite && sparseCheck.verdict !== 'failed';
    const listed = canSparse ? listedFor(be, a, m, k) : null;
    const scratch = listed && sparseEnough(listed, m, k) ? null : makeAlignedScratch(be, listed || !canSparse ? (m & ~3) * k : Math.max((m & ~3) * k, sparseScratch(m, k)));
    if (scratch) temps.push(scratch.info);
    const aOff = heapOffset(be, a);
    const aList = listed ?? (canSparse && scratch ? kernels.listNonzeros(aOff, m, k, scratch.off) : null);
    const sparse = aList !== null && sparseEnough(aList, m, k);
    const cOff = heapOffset(be, out);
    const biasOff = heapOffset(be, bias);
    kernels.rows({ aOff, m, k, n, bp: kept.off, cOff, apOff: scratch?.off ?? 0, aList: sparse ? aList : undefined, biasOff, relu, outList: target ?? undefined });
    if (target) target.done(listedTerms(be.wasm.HEAPF32, target.countsOff, m));
    if (rowsCheck.verdict === 'unchecked' || (sparse && sparseCheck.verdict === 'unchecked')) {
      const problem = compareWithGemm(be, kernels, temps, { aOff, bOff: heapOffset(be, b), cOff, m, k, n, kept, biasOff, relu, list: target });
      if (problem !== null && target) forgetListed(be, out);
      rowsCheck.run(() => problem);
      if (sparse) sparseCheck.run(() => problem);
    }
    return out;
  } finally {
    for (const t of temps) be.disposeData(t.dataId, true);
  }
}

/** What {@link compareWithGemm} compares: the product by rows' operands (float offsets) and its output's list. */
interface CheckedProduct {
  readonly aOff: number;
  readonly bOff: number;
  readonly cOff: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly kept: { readonly off: number; readonly finite: boolean };
  readonly biasOff: number;
  readonly relu: boolean;
  readonly list: ListTarget | null;
}

/**
 * The self-check's comparison: the same product as the GEMM (dense, from the same kept packing), then the bias pass,
 * compared bit for bit (a disagreement puts the GEMM's over the output), and the output's list with one made afresh.
 * @param be - the backend
 * @param kernels - its SIMD kernels
 * @param temps - where the scratch goes, for the caller to free
 * @param o - the product
 * @returns what disagreed, or null
 */
function compareWithGemm(be: WasmBackendInternals, kernels: SimdKernels, temps: TensorInfo[], o: CheckedProduct): string | null {
  const ref = be.makeOutput([o.m, o.n], 'float32');
  const s = makeAlignedScratch(be, Math.max(gemmKeptScratch(o.m, o.k), sparseScratch(o.m, o.n)));
  temps.push(ref, s.info);
  const refOff = heapOffset(be, ref);
  kernels.gemm(o.aOff, o.bOff, refOff, o.m, o.k, o.n, false, s.off, { off: o.kept.off, ready: true, finite: o.kept.finite }, false);
  kernels.biasAct(refOff, o.m, o.n, o.biasOff, o.relu);
  const problem = agreeOrTake(be, o.cOff, refOff, o.m * o.n);
  if (problem !== null || !o.list) return problem;
  const fresh = kernels.listNonzeros(refOff, o.m, o.n, s.off, false);
  return fresh && listsDiffer(be, o.list, fresh, o.m, o.n);
}

/**
 * Where two lists of an m×n output's nonzeros differ (row lengths, then each row's pairs), as a message, or null.
 * @returns what differs, or null
 */
function listsDiffer(be: WasmBackendInternals, x: { readonly listOff: number; readonly countsOff: number }, y: { readonly listOff: number; readonly countsOff: number }, m: number, n: number): string | null {
  const bits = new Int32Array(be.wasm.HEAPF32.buffer);
  for (let i = 0; i < m; i++) {
    const len = bits[x.countsOff + i] as number;
    if (len !== bits[y.countsOff + i]) return `row ${i} of the output's list: ${len / 8} nonzeros against ${(bits[y.countsOff + i] as number) / 8}`;
    for (let e = 0; e < len / 4; e++) {
      if (bits[x.listOff + 2 * i * n + e] !== bits[y.listOff + 2 * i * n + e]) return `row ${i} of the output's list differs at word ${e}`;
    }
  }
  return null;
}

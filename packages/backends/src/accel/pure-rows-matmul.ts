import type { TensorInfo } from '@tensorflow/tfjs';
import { comparisonCheck } from './first-use.js';
import type { KernelArgs } from './kernel-types.js';
import { matMulGeometry } from './matmul-geometry.js';
import { forgetListed, listTarget, listedFor, type ListTarget } from './listed-outputs.js';
import { keptPackingVerdict, readyPacking } from './packed-weights.js';
import { agreeOrTake } from './pure-matmul.js';
import { MIN_PART_ROWS } from './row-product.js';
import { gemmKeptScratch, simdKernels, type SimdKernels } from './simd-kernels.js';
import { boundsOf, listChunks, listedTerms, sparseCheck, sparseEnough, sparseScratch } from './sparse-product.js';
import { heapOffset, makeAlignedScratch, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';

/**
 * Products this large (multiply-adds, n rounded up to whole panels) and larger run by rows; smaller ones take the
 * GEMM, then the bias pass. The VIB inference's smallest product by rows, its 256→10 head at batch 100, has 4.1·10⁵
 * (n = 16): by rows it took 0.03 ms a step against 0.05 as the GEMM then the bias pass (the whole step 1.004× faster
 * side by side in one process; at 1 << 20 the head took the GEMM).
 */
const ROWS_MIN = 1 << 17;

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
 * or evaluation, after the kept packings' self-check passed), k a multiple of 4, m at least two parts of rows (32),
 * {@link ROWS_MIN} multiply-adds. A takes the sparse GEMM where a product by rows listed its nonzeros (or it looks
 * sparse here and is listed now), few enough, and B is finite. A ReLU output's nonzeros are listed for the next
 * product (`listed-outputs.ts`). Where n is not a multiple of 8 (a classifier's head), the product by rows runs on
 * n rounded up to whole panels (the kept packing's last panel is padded with zeros) into scratch, with the bias padded
 * likewise, and its first n columns are copied out; such an output is not listed.
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
  const nPad = (n + 7) & ~7;
  const padded = nPad !== n;
  if (k % 4 !== 0 || m < 2 * MIN_PART_ROWS || m * k * nPad < ROWS_MIN) return null;
  const be = wasmInternals(args.backend);
  const kernels = be && simdKernels(be);
  const kept = be && readyPacking(be, b, k, n);
  if (!be || !kernels || !kept) return null;
  const temps: TensorInfo[] = [];
  try {
    const out = be.makeOutput(g.outShape, 'float32');
    // allocations first: heap offsets are read after them
    const target = relu && !padded ? listTarget(be, out, m, n, a) : null;
    // n not a multiple of 8: the padded output, then the padded bias
    const pad = padded ? makeAlignedScratch(be, m * nPad + nPad) : null;
    if (pad) temps.push(pad.info);
    // A's nonzeros, where the sparse GEMM may run (B finite): as listed by the product that computed A, else listed
    // here where A looks sparse, into the scratch that the dense GEMM otherwise packs A's rows into (a list's
    // sparseScratch(m, k) > 2mk floats hold the packing's m·k; none is needed for a list sparse enough)
    const canSparse = kept.finite && sparseCheck.verdict !== 'failed';
    const listed = canSparse ? listedFor(be, a, m, k) : null;
    const scratch = listed && sparseEnough(listed, m, k) ? null : makeAlignedScratch(be, listed || !canSparse ? m * k : sparseScratch(m, k));
    if (scratch) temps.push(scratch.info);
    const aOff = heapOffset(be, a);
    const aList = listed ?? (canSparse && scratch ? kernels.listNonzeros(aOff, m, k, scratch.off) : null);
    const sparse = aList !== null && sparseEnough(aList, m, k);
    const cOff = heapOffset(be, out);
    const biasOff = heapOffset(be, bias);
    const h = be.wasm.HEAPF32;
    const padBias = pad ? pad.off + m * nPad : biasOff;
    if (pad) for (let j = 0; j < nPad; j++) h[padBias + j] = j < n ? (h[biasOff + j] as number) : 0;
    kernels.rows({ aOff, m, k, n: nPad, bp: kept.off, cOff: pad ? pad.off : cOff, apOff: scratch?.off ?? 0, aList: sparse ? aList : undefined, biasOff: padBias, relu, outList: target ?? undefined });
    if (pad) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) h[cOff + i * n + j] = h[pad.off + i * nPad + j] as number;
    if (target) target.done(listedTerms(h, target.countsOff, m));
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
 * Where two lists of an m×n output's nonzeros differ (row lengths, chunk ends, then each row's pairs), as a message,
 * or null.
 * @returns what differs, or null
 */
function listsDiffer(be: WasmBackendInternals, x: { readonly listOff: number; readonly countsOff: number }, y: { readonly listOff: number; readonly countsOff: number }, m: number, n: number): string | null {
  const bits = new Int32Array(be.wasm.HEAPF32.buffer);
  const [xBounds, yBounds, chunks] = [boundsOf(x, m), boundsOf(y, m), listChunks(n)];
  for (let i = 0; i < m; i++) {
    const len = bits[x.countsOff + i] as number;
    if (len !== bits[y.countsOff + i]) return `row ${i} of the output's list: ${len / 8} nonzeros against ${(bits[y.countsOff + i] as number) / 8}`;
    for (let c = i * chunks; c < (i + 1) * chunks; c++) {
      if (bits[xBounds + c] !== bits[yBounds + c]) return `row ${i} of the output's list: chunk ${c - i * chunks} ends at pair ${(bits[xBounds + c] as number) / 8} against ${(bits[yBounds + c] as number) / 8}`;
    }
    for (let e = 0; e < len / 4; e++) {
      if (bits[x.listOff + 2 * i * n + e] !== bits[y.listOff + 2 * i * n + e]) return `row ${i} of the output's list differs at word ${e}`;
    }
  }
  return null;
}

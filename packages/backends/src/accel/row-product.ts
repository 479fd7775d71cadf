import { claimPieces, simdHelperFor } from './simd-helper.js';
import { SPARSE_GROUP } from './simd-sparse.js';
import type { NonzeroList, SparseExports } from './sparse-product.js';

/**
 * A fused product by rows: C = A·B + bias, then ReLU where asked, with B's panels kept packed (weights at inference
 * and evaluation). Each thread takes a piece of A's rows and multiplies it by all of B's panels (the dense GEMM, its
 * rows' blocks packed by that thread, or the sparse GEMM from A's listed nonzeros), adds the bias to its rows and
 * lists their nonzeros for the next product, while they are in its own cache. Split by panels instead, as the GEMM
 * is otherwise, each thread writes part of every row, so the bias pass, the sampling of A and the listing of its
 * nonzeros each read the other thread's part from its cache, one after the other.
 *
 * The sums are those of the GEMM split by panels (the same kernels on the same blocks of 4 rows, in k order), the bias
 * pass is `biasAct`'s and the listing is the sparse GEMM's: the same bits, whatever the number of threads.
 */

type Gemm = (a: number, lda: number, bp: number, c: number, ldc: number, kBytes: number, blocks: number, p0: number, p1: number) => void;
/** The SIMD module's functions a product by rows calls. */
export interface RowExports extends SparseExports {
  gemm1: Gemm;
  gemm2: Gemm;
  gemm3: Gemm;
  gemm4p(ap: number, bp: number, c: number, ldc: number, kBytes: number, blocks: number, p0: number, p1: number): void;
  transpose4(src: number, dst: number, rows: number, cols: number, rows4: number, cols4: number): void;
  biasAdd(c: number, bias: number, rows: number, colBytes: number, ld: number): void;
  biasRelu(c: number, bias: number, rows: number, colBytes: number, ld: number): void;
}

/** Where a product by rows reads and writes, in float offsets of the heap; n a multiple of 8, k of 4. */
export interface RowOperands {
  /** A, m×k row-major. */
  readonly aOff: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** B's kept panels: n/8 panels of k×8 (`gemmPackedSize`). */
  readonly bp: number;
  /** C, m×n row-major. */
  readonly cOff: number;
  /** Scratch of (m & ~3)·k floats for A's blocks of 4 rows, packed k-major (the dense GEMM's; unused with `aList`). */
  readonly apOff: number;
  /** A's nonzeros: the sparse GEMM multiplies (B must then be finite); without, the dense one. */
  readonly aList?: NonzeroList | undefined;
  /** The bias, n floats. */
  readonly biasOff: number;
  readonly relu: boolean;
  /** Where C's nonzeros are listed (room for 2·n floats a row, and m row lengths): none, not listed. */
  readonly outList?: { readonly listOff: number; readonly countsOff: number } | undefined;
}

/**
 * Pieces each thread takes. One: every piece streams all of B's panels from L3 (4 MiB for a 1024×1024 weight), and
 * more pieces read them more often.
 */
const PIECES_PER_THREAD = 1;
/** Rows a piece has at least. */
export const MIN_PIECE_ROWS = 16;

/**
 * Rows [r0, r1) of piece `p` of `pieces`, as even as they come (the dense GEMM takes each piece's rows in blocks of 4
 * and its last 1–3 rows alone; a row's sums do not depend on its block). The helper thread's `rows` task computes the
 * same.
 */
export function pieceRows(p: number, pieces: number, m: number): readonly [number, number] {
  return [Math.floor((p * m) / pieces), Math.floor(((p + 1) * m) / pieces)];
}

/**
 * One piece of a product by rows (the helper's `rows` task runs the same steps). Pointers in bytes.
 * @param x - the SIMD module's exports
 * @param a - the call's arguments, as {@link rowTaskArgs} orders them
 * @param p - the piece
 */
function rowPiece(x: RowExports, a: readonly number[], p: number): void {
  const [aP, apP, bp, cP, kBytes, nBytes, m, full, pieces, list, counts, biasP, relu, outList, outCounts] = a as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  const [r0, r1] = pieceRows(p, pieces, m);
  const c = cP + r0 * nBytes;
  if (list) {
    const groups = Math.floor(full / SPARSE_GROUP);
    const l = list + r0 * 2 * kBytes;
    const sparse = x[`sparse${SPARSE_GROUP}`];
    if (groups > 0 && sparse) sparse(l, counts + 4 * r0, bp, c, nBytes, kBytes * 8, r1 - r0, 0, groups);
    if (groups * SPARSE_GROUP < full) x.sparse1(l, counts + 4 * r0, bp, c, nBytes, kBytes * 8, r1 - r0, groups * SPARSE_GROUP, full);
  } else {
    const kCount = kBytes >> 2;
    const blocks = (r1 - r0) >> 2;
    for (let i = 0; i < blocks; i++) x.transpose4(aP + (r0 + 4 * i) * kBytes, apP + (r0 + 4 * i) * kBytes, 4, kCount, 4, kCount);
    if (blocks > 0) x.gemm4p(apP + r0 * kBytes, bp, c, nBytes, kBytes, blocks, 0, full);
    const rest = (r1 - r0) & 3;
    if (rest) x[`gemm${rest as 1 | 2 | 3}`](aP + (r1 - rest) * kBytes, kBytes, bp, cP + (r1 - rest) * nBytes, nBytes, kBytes, 1, 0, full);
  }
  (relu ? x.biasRelu : x.biasAdd)(c, biasP, r1 - r0, nBytes, nBytes);
  if (outList) x.rowNonzeros(c, nBytes, r1 - r0, outList + r0 * 2 * nBytes, outCounts + 4 * r0);
}

/**
 * The arguments of a product by rows for {@link rowPiece} and the helper's `rows` task: byte pointers and sizes.
 * @param o - the operands
 * @param pieces - pieces of rows
 * @returns aP, apP, bp, cP, kBytes, nBytes, m, full panels, pieces, A's list and row lengths (0, 0: dense), bias,
 *   relu (1/0), C's list and row lengths (0, 0: not listed)
 */
function rowTaskArgs(o: RowOperands, pieces: number): number[] {
  return [
    o.aOff * 4, o.apOff * 4, o.bp * 4, o.cOff * 4, o.k * 4, o.n * 4, o.m, o.n >> 3, pieces,
    o.aList ? o.aList.listOff * 4 : 0, o.aList ? o.aList.countsOff * 4 : 0,
    o.biasOff * 4, o.relu ? 1 : 0,
    o.outList ? o.outList.listOff * 4 : 0, o.outList ? o.outList.countsOff * 4 : 0,
  ];
}

/**
 * Run a product by rows, in pieces that this thread and the helper threads claim from one counter.
 * @param x - the SIMD module's exports
 * @param memory - the backend's memory (for its helper threads)
 * @param o - the operands
 */
export function rowProduct(x: RowExports, memory: WebAssembly.Memory, o: RowOperands): void {
  if (o.n % 8 !== 0 || o.k % 4 !== 0) throw new Error(`a product by rows needs n a multiple of 8 and k of 4, not n=${o.n}, k=${o.k}`);
  const helper = simdHelperFor(memory);
  const pieces = Math.max(1, Math.min((1 + (helper?.threads ?? 0)) * PIECES_PER_THREAD, Math.floor(o.m / MIN_PIECE_ROWS)));
  const worker = pieces > 1 ? helper : undefined;
  const args = rowTaskArgs(o, pieces);
  worker?.start('rows', args);
  claimPieces(worker, 1, pieces, (p0, len) => {
    for (let p = p0; p < p0 + len; p++) rowPiece(x, args, p);
  });
  worker?.wait();
}

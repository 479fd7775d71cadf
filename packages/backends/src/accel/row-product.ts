import { GEMM_GROUP, ROW_STRIDE, simdHelperFor } from './simd-helper.js';
import { SPARSE_GROUP } from './simd-sparse.js';
import { boundsOf, listChunks, type NonzeroList, type ProductOperands, type SparseExports } from './sparse-product.js';

/**
 * A fused product by rows: C = A·B + bias, then ReLU where asked, with B's panels kept packed (weights at inference
 * and evaluation). Each thread owns a part of A's rows and multiplies it by B's panels, a group at a time (the dense
 * GEMM, its rows' blocks packed first, or the sparse GEMM from A's listed nonzeros); then it adds the bias to its rows
 * and lists their nonzeros for the next product, while they are in its own cache. A thread that has finished its part
 * takes the groups left in the others, so a thread that starts late or is slowed by the host holds no one up. Split
 * by panels instead, as the GEMM is otherwise, each thread writes part of every row, so the bias pass, the sampling
 * of A and the listing of its nonzeros each read the other thread's part from its cache, one after the other.
 *
 * The sums are those of the GEMM split by panels (the same kernels, each row's sums in k order), the bias pass is
 * `biasAct`'s and the listing the sparse GEMM's: the same bits, whatever the number of threads.
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

/** Where a product by rows reads and writes (float offsets of the heap): n a multiple of 8, k of 4, B's panels kept. */
export interface RowOperands extends ProductOperands {
  /**
   * Scratch of m·k floats for A's blocks of 4 rows, packed k-major (the dense GEMM's; unused with `aList`): each part
   * packs its blocks at its own first row, so with parts that do not start on a multiple of 4 the last part's blocks
   * reach past row m & ~3 (up to row m − 1).
   */
  readonly apOff: number;
  /** A's nonzeros: the sparse GEMM multiplies (B must then be finite); without, the dense one. */
  readonly aList?: NonzeroList | undefined;
  /** The bias, n floats. */
  readonly biasOff: number;
  readonly relu: boolean;
  /** Where C's nonzeros are listed (room for 2·n floats a row, m row lengths, then their chunk ends): none, not listed. */
  readonly outList?: { readonly listOff: number; readonly countsOff: number } | undefined;
  /**
   * Parts of the rows: by default one for each thread (at most 9, and none under {@link MIN_PART_ROWS} rows). With
   * more parts than threads, the threads take over the parts no thread owns (the tests' way to run that path).
   */
  readonly parts?: number | undefined;
}

/** Rows a part has at least. */
export const MIN_PART_ROWS = 16;

/** A product by rows' arguments for {@link rowWork} and the helper's `rows` task (byte pointers and sizes). */
type RowArgs = [
  aP: number, apP: number, bp: number, cP: number, kBytes: number, nBytes: number, m: number, full: number, parts: number,
  list: number, bounds: number, chunks: number, biasP: number, relu: number,
  outList: number, outCounts: number, outBounds: number, outChunks: number,
];

/**
 * Rows [r0, r1) of part `p` of `parts`, as even as they come (the dense GEMM takes a part's rows in blocks of 4 and
 * its last 1–3 rows alone; a row's sums do not depend on its block). The helper's `rows` task computes the same.
 */
export function partRows(p: number, parts: number, m: number): readonly [number, number] {
  return [Math.floor((p * m) / parts), Math.floor(((p + 1) * m) / parts)];
}

/** Words a product by rows uses, for `parts` parts (see {@link ROW_STRIDE}). */
export const rowWords = (parts: number): number => ROW_STRIDE * (parts + 1);

/**
 * One thread's work in a product by rows (the helper's `rows` task runs the same steps): the part it owns, group of
 * panels after group, each claimed from the part's counter, then the groups left in the other parts (a thread that
 * is late, or slowed by the host, leaves its part to the others). Whoever finishes a part's last group adds the bias
 * to its rows and lists them: the owner, unless another thread took that group. Pointers in bytes.
 * @param x - the SIMD module's exports
 * @param a - the call's arguments, as {@link rowTaskArgs} orders them
 * @param w - the shared words (see {@link ROW_STRIDE})
 */
function rowWork(x: RowExports, a: RowArgs, w: Int32Array): void {
  const [aP, apP, bp, cP, kBytes, nBytes, m, full, parts, list, bounds, chunks, biasP, relu, outList, outCounts, outBounds, outChunks] = a;
  const per = list ? SPARSE_GROUP : GEMM_GROUP;
  const groups = Math.ceil(full / per);
  const sparse = x[`sparse${SPARSE_GROUP}`];
  const own = Atomics.add(w, 1, 1);
  for (let i = 0; i < parts; i++) {
    const p = (own + i) % parts;
    const at = ROW_STRIDE * (p + 1);
    const [r0, r1] = partRows(p, parts, m);
    const [rows, blocks, rest, c] = [r1 - r0, (r1 - r0) >> 2, (r1 - r0) & 3, cP + r0 * nBytes];
    // the part's list of nonzeros and its chunk ends, and the kernel of its last 1–3 rows (the dense GEMM)
    const [l, bnd, tail] = [list + r0 * 2 * kBytes, bounds + 4 * r0 * chunks, rest ? x[`gemm${rest as 1 | 2 | 3}`] : undefined];
    if (Atomics.load(w, at) >= groups) continue;
    // the dense GEMM reads the part's rows packed: the first thread there packs them; a part being packed is left to
    // the thread packing it, which multiplies it next (no thread waits on another's packing)
    const packed = list ? 2 : Atomics.compareExchange(w, at + 2, 0, 1);
    if (packed === 1) continue;
    if (packed === 0) {
      for (let b = 0; b < blocks; b++) x.transpose4(aP + (r0 + 4 * b) * kBytes, apP + (r0 + 4 * b) * kBytes, 4, kBytes >> 2, 4, kBytes >> 2);
      Atomics.store(w, at + 2, 2);
    }
    for (let g = Atomics.add(w, at, 1); g < groups; g = Atomics.add(w, at, 1)) {
      const [q0, q1] = [g * per, Math.min(full, (g + 1) * per)];
      if (list) {
        if (q1 - q0 === SPARSE_GROUP && sparse) sparse(l, bnd, bp, c, nBytes, kBytes * 8, rows, g, g + 1, chunks);
        else x.sparse1(l, bnd, bp, c, nBytes, kBytes * 8, rows, q0, q1, chunks);
      } else {
        if (blocks > 0) x.gemm4p(apP + r0 * kBytes, bp, c, nBytes, kBytes, blocks, q0, q1);
        if (tail) tail(aP + (r1 - rest) * kBytes, kBytes, bp, cP + (r1 - rest) * nBytes, nBytes, kBytes, 1, q0, q1);
      }
      if (Atomics.add(w, at + 1, 1) === groups - 1) {
        (relu ? x.biasRelu : x.biasAdd)(c, biasP, rows, nBytes, nBytes);
        if (outList) x.rowNonzeros(c, nBytes, rows, outList + r0 * 2 * nBytes, outCounts + 4 * r0, outBounds + 4 * r0 * outChunks, outChunks);
      }
    }
  }
}

/**
 * The arguments of a product by rows for {@link rowWork} and the helper's `rows` task: byte pointers and sizes.
 * @param o - the operands
 * @param parts - parts of rows
 * @returns aP, apP, bp, cP, kBytes, nBytes, m, full panels, parts, A's list, its chunk ends and their count per row
 *   (0, 0, 1: dense), bias, relu (1/0), C's list, row lengths, chunk ends and their count per row (0, 0, 0, 1: not
 *   listed)
 */
function rowTaskArgs(o: RowOperands, parts: number): RowArgs {
  return [
    o.aOff * 4, o.apOff * 4, o.bp * 4, o.cOff * 4, o.k * 4, o.n * 4, o.m, o.n >> 3, parts,
    o.aList ? o.aList.listOff * 4 : 0, o.aList ? boundsOf(o.aList, o.m) * 4 : 0, listChunks(o.k),
    o.biasOff * 4, o.relu ? 1 : 0,
    o.outList ? o.outList.listOff * 4 : 0, o.outList ? o.outList.countsOff * 4 : 0, o.outList ? boundsOf(o.outList, o.m) * 4 : 0, listChunks(o.n),
  ];
}

/**
 * Run a product by rows: one part of A's rows for each thread, which the others finish where it lags.
 * @param x - the SIMD module's exports
 * @param memory - the backend's memory (for its helper threads)
 * @param o - the operands
 */
export function rowProduct(x: RowExports, memory: WebAssembly.Memory, o: RowOperands): void {
  if (o.n % 8 !== 0 || o.k % 4 !== 0) throw new Error(`a product by rows needs n a multiple of 8 and k of 4, not n=${o.n}, k=${o.k}`);
  const helper = simdHelperFor(memory);
  const parts = Math.max(1, Math.min(o.parts ?? 1 + (helper?.threads ?? 0), 9, Math.floor(o.m / MIN_PART_ROWS)));
  const worker = parts > 1 ? helper : undefined;
  const args = rowTaskArgs(o, parts);
  const words = worker?.words.fill(0, 1, rowWords(parts)) ?? new Int32Array(rowWords(parts));
  worker?.start('rows', args);
  rowWork(x, args, words);
  worker?.wait();
}

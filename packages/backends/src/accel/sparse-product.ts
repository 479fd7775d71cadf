import { comparisonCheck } from './first-use.js';
import { NONZERO_ROWS, claimPieces, simdHelperFor } from './simd-helper.js';
import { SPARSE_GROUP } from './simd-sparse.js';

/**
 * Left operands with this fraction of nonzero elements or less take the sparse GEMM (simd-sparse.ts) where B is
 * finite. Measured side by side on one thread (100×1024 by 1024×1024): 3.0× the dense GEMM at 0.2 nonzero, 1.4× at
 * 0.5, even at about 0.7 (an AMD EPYC with AVX-512, Zen 4, where relaxed_madd changed neither GEMM's speed). Where
 * the products are relaxed_madd (wasm-fma.ts), an AMD EPYC without AVX-512 (Zen 3) gave 2.9× at 0.1, 1.1× at 0.3,
 * even at 0.4 and 0.95× at 0.5: the dense GEMM gains more from the fused multiply-add there. The threshold stays
 * where the Zen 4 host wants it, as ReLU activations (about half nonzero) sit between the two hosts' crossings.
 */
export const SPARSE_DENSITY = 0.6;
/** Products with fewer multiply-adds than this stay dense (listing the nonzeros costs more than it saves). */
const SPARSE_MIN = 1 << 16;
/** Nonzero terms × columns from which the helper thread shares the product (as the dense GEMM's split). */
const SPARSE_SPLIT = 1 << 18;
/**
 * Pieces by rows each group of panels of a product from a kept packing is split into, for the threads (a group over
 * 100 rows takes about 60 µs, and an odd number of groups left one thread waiting that long at the end of the call).
 */
const ROW_PARTS = 2;
/** Rows a piece has at least. */
const MIN_PART_ROWS = 16;
/** Elements of A from which the helper thread shares the listing of its nonzeros. */
const LIST_SPLIT = 1 << 15;

type SparseKernel = (list: number, bounds: number, bp: number, c: number, ldc: number, panelBytes: number, rows: number, g0: number, g1: number, chunks: number) => void;
/** The SIMD module's functions the sparse product calls (simd-sparse.ts): groups of one panel and of SPARSE_GROUP. */
export interface SparseExports {
  packB(b: number, ldb: number, dst: number, kCount: number, p0: number, p1: number, flag: number): void;
  packBT(b: number, ldb: number, dst: number, kCount: number, k4: number, p0: number, p1: number, flag: number): void;
  packFields(desc: number, dst: number, kCount: number, p0: number, p1: number, flag: number): void;
  rowNonzeros(a: number, kBytes: number, rows: number, list: number, counts: number, bounds: number, chunks: number): void;
  sparse1: SparseKernel;
  [name: `sparse${number}`]: SparseKernel | undefined;
}

/** Where a product of the pure GEMM reads and writes (float offsets of the heap): C (m×n) = A (m×k) · B's panels. */
export interface ProductOperands {
  /** A, m×k row-major. */
  readonly aOff: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** B's panels: ⌈n/8⌉ panels of k×8, the last padded with zeros (`gemmPackedSize`). */
  readonly bp: number;
  /** C, m×n row-major. */
  readonly cOff: number;
}

/** Where a sparse product reads and writes: B's panels kept, or to be packed here (see `pack`). */
export interface SparseOperands extends ProductOperands {
  /** Scratch of {@link sparseScratch}(m, k) floats for the list of nonzeros. */
  readonly listOff: number;
  /** Scratch of 8·m floats for the last partial panel's output. */
  readonly tailOff: number;
  /**
   * Where B's whole panels are still to be packed (byte pointers): each group is packed by the thread that claims
   * it, and the pack functions store 1 at `flag` where B is not finite (the last partial panel is packed already).
   */
  readonly pack?: PanelSource | undefined;
  /** A's nonzeros, listed already (by the product that computed A: see `listed-outputs.ts`); `listOff` is then unused. */
  readonly listed?: NonzeroList | undefined;
}

/**
 * A's nonzeros as {@link SparseExports.rowNonzeros} lists them: the list (room for 2·k floats a row, float offset),
 * the m row lengths in bytes (i32, float offset), right after them each row's {@link listChunks}(k) chunk ends (i32,
 * float offset `countsOff + m`), and the number of terms (nonzeros) in all.
 */
export interface NonzeroList {
  readonly listOff: number;
  readonly countsOff: number;
  readonly terms: number;
}

/**
 * Where B's panels are packed from (byte pointers): B, its row stride, whether it is stored transposed, and the word
 * the pack functions set where B is not finite. A row stride of 0 says that B is a convolution's receptive fields and
 * `bP` their descriptor (`packFields`, simd-pack-fields.ts: the descriptor holds the layout, and transposeB is not read).
 */
export interface PanelSource {
  readonly bP: number;
  readonly ldb: number;
  readonly transposeB: boolean;
  readonly flag: number;
}

/**
 * Pack panels [q0, q1) of B, plain, transposed or from a convolution's input (the dense and sparse GEMMs' groups; the
 * helper's tasks do the same).
 * @param x - the SIMD module's exports
 * @param pack - where B is, from {@link SparseOperands}
 * @param bp - the panels' byte pointer
 * @param k - rows of B's panels
 */
export function packPanels(x: SparseExports, pack: PanelSource, bp: number, k: number, q0: number, q1: number): void {
  if (pack.ldb === 0) x.packFields(pack.bP, bp, k, q0, q1, pack.flag);
  else if (pack.transposeB) x.packBT(pack.bP, pack.ldb, bp, k, k & ~3, q0, q1, pack.flag);
  else x.packB(pack.bP, pack.ldb, bp, k, q0, q1, pack.flag);
}

/**
 * The depth (k-rows of B) of a chunk of the sparse kernels at most: they take a group of panels a chunk of the depth
 * at a time over every row, so that the chunk's part of the panels stays in L1 (3 panels of 256 k-rows: 24 KiB; see
 * simd-sparse.ts). One thread, 52 and 100 rows by 1024×1024 and by 1024×256, half of A nonzero, side by side on a
 * 2-core Zen 5: 0.91–0.93 of the time of the whole depth at once in quiet phases of the host (chunks of 512: 0.96–0.99;
 * of 128 about 0.97), no change where the host's other tenants had the cores.
 */
export const LIST_CHUNK = 256;

/**
 * Chunks of the depth whose ends a list marks for each row of an m×k operand (at most {@link LIST_CHUNK} k-rows each,
 * as even as whole turns of 4 make them; `rowNonzeros` works out their length from this count).
 * @param k - columns of A (the product's depth)
 * @returns at least 1
 */
export function listChunks(k: number): number {
  return Math.max(1, Math.ceil(k / LIST_CHUNK));
}

/**
 * Floats of scratch the list of nonzeros takes: two per element of A (each row has room for all of its elements),
 * m row lengths, then each row's chunk ends ({@link listChunks}).
 * @param m - rows of A
 * @param k - columns of A
 * @returns floats
 */
export function sparseScratch(m: number, k: number): number {
  return 2 * m * k + m + m * listChunks(k);
}

/**
 * Where a list's chunk ends start (float offset): right after its m row lengths.
 * @param list - the list
 * @param m - rows of A
 * @returns the float offset
 */
export const boundsOf = (list: { readonly countsOff: number }, m: number): number => list.countsOff + m;

/**
 * Elements between two that {@link looksSparse} samples: odd and prime, so that the samples fall in every column of
 * rows of any even width (with 16 they fell in every 16th column of a 1024-wide A), and about one cache line in four
 * is read (the sampling of the VIB inference's two sparse layers took 0.065 ms a step with 16, 0.02 with 67).
 */
const SAMPLE_STRIDE = 67;

/**
 * Whether A looks sparse enough to list: the nonzero fraction of every {@link SAMPLE_STRIDE}th element (a NaN counts
 * as nonzero). The listing counts them all and has the last word.
 * @param h - the heap
 * @param off - A's float offset
 * @param size - A's elements
 * @returns whether the sampled fraction is at most {@link SPARSE_DENSITY}
 */
function looksSparse(h: Float32Array, off: number, size: number): boolean {
  let nonzero = 0;
  for (let i = off; i < off + size; i += SAMPLE_STRIDE) if (h[i] !== 0) nonzero++;
  return nonzero <= SPARSE_DENSITY * Math.ceil(size / SAMPLE_STRIDE);
}

/**
 * Whether a product of A (m×k, at `off`, in any layout) may take the sparse GEMM: long enough, and A looks sparse
 * ({@link looksSparse}: a sample of its elements, which does not depend on whether A is stored as A or as Aᵀ).
 * @param h - the heap
 * @param off - A's float offset
 * @param m - rows of A
 * @param k - columns of A
 * @param n - columns of B
 * @returns false where the sparse GEMM would not be taken
 */
export function mayBeSparse(h: Float32Array, off: number, m: number, k: number, n: number): boolean {
  return m * k * n >= SPARSE_MIN && looksSparse(h, off, m * k);
}

/**
 * Whether a list has few enough terms for the sparse GEMM to pay ({@link SPARSE_DENSITY}).
 * @param list - A's nonzeros
 * @param m - rows of A
 * @param k - columns of A
 * @returns true where it pays
 */
export function sparseEnough(list: NonzeroList, m: number, k: number): boolean {
  return list.terms <= SPARSE_DENSITY * m * k;
}

/**
 * List A's nonzeros row by row where A looks sparse (a sample of its elements), shared with the helper thread
 * where one runs and A is long (every row has room for all its elements in the list, so rows are listed by either
 * thread, {@link NONZERO_ROWS} at a time).
 * @param x - the SIMD module's exports
 * @param h - the heap
 * @param memory - the backend's memory (for its helper thread)
 * @param aOff - A's float offset (m×k, row-major)
 * @param listOff - scratch of {@link sparseScratch}(m, k) floats for the list, the row lengths and the chunk ends
 * @param sample - whether to sample A first (false: list it whatever its density)
 * @returns the list, or null where A does not look sparse (nothing listed)
 */
export function listNonzeros(x: SparseExports, h: Float32Array, memory: WebAssembly.Memory, aOff: number, m: number, k: number, listOff: number, sample = true): NonzeroList | null {
  if (sample && !looksSparse(h, aOff, m * k)) return null;
  const countsOff = listOff + 2 * m * k;
  const boundsOff = boundsOf({ countsOff }, m);
  const chunks = listChunks(k);
  const lister = m * k >= LIST_SPLIT && m > NONZERO_ROWS ? simdHelperFor(memory) : undefined;
  lister?.start('nonzeros', [aOff * 4, k * 4, listOff * 4, countsOff * 4, m, boundsOff * 4, chunks]);
  claimPieces(lister, NONZERO_ROWS, m, (r0, len) => x.rowNonzeros((aOff + r0 * k) * 4, k * 4, len, (listOff + 2 * r0 * k) * 4, (countsOff + r0) * 4, (boundsOff + r0 * chunks) * 4, chunks));
  lister?.wait();
  return { listOff, countsOff, terms: listedTerms(h, countsOff, m) };
}

/**
 * Terms in a list of nonzeros: the sum of its m row lengths (bytes, 8 a term).
 * @param h - the heap
 * @param countsOff - float offset of the row lengths
 * @param m - rows
 * @returns terms
 */
export function listedTerms(h: Float32Array, countsOff: number, m: number): number {
  let bytes = 0;
  for (const c of new Int32Array(h.buffer, h.byteOffset + countsOff * 4, m)) bytes += c;
  return bytes / 8;
}

/**
 * C = A·B through the sparse GEMM, when A is sparse enough: its nonzeros listed row by row (unless the caller has
 * them listed already), then groups of {@link SPARSE_GROUP} panels and a last piece of the panels left over, each step
 * shared with the helper thread where one runs (both claim pieces from one counter, as the dense GEMM's threads do),
 * the last partial panel here. B is
 * finite: a kept packing the caller vouches for, or panels packed here (`pack`), whose pack functions flag an
 * infinity or a NaN for the caller to multiply again densely.
 * @param x - the SIMD module's exports
 * @param h - the heap
 * @param memory - the backend's memory (for its helper thread)
 * @param o - the operands
 * @returns whether it ran; false leaves C alone (A too dense), and the caller runs the dense GEMM
 */
export function sparseProduct(x: SparseExports, h: Float32Array, memory: WebAssembly.Memory, o: SparseOperands): boolean {
  const { aOff, m, k, n, bp, cOff, tailOff, pack } = o;
  if (m * k * n < SPARSE_MIN) return false;
  const listed = o.listed ?? listNonzeros(x, h, memory, aOff, m, k, o.listOff);
  if (!listed || !sparseEnough(listed, m, k)) return false;
  const { listOff, terms } = listed;
  const helper = simdHelperFor(memory);
  const full = n >> 3;
  const tail = n & 7;
  const groups = Math.floor(full / SPARSE_GROUP);
  const chunks = listChunks(k);
  const [listP, boundsP, bpP, cP, ldc, panelBytes] = [listOff * 4, boundsOf(listed, m) * 4, bp * 4, cOff * 4, n * 4, k * 32];
  // panels packed by the call: each group whole, packed by the thread that claims it; kept ones: each group in
  // ROW_PARTS pieces by rows, so that the threads end closer together
  const parts = pack || m < ROW_PARTS * MIN_PART_ROWS ? 1 : ROW_PARTS;
  const pieces = (groups + (groups * SPARSE_GROUP < full ? 1 : 0)) * parts;
  const worker = pieces > 1 && terms * n >= SPARSE_SPLIT ? helper : undefined;
  worker?.start('sparse', [listP, boundsP, bpP, cP, ldc, panelBytes, m, groups, full, parts, chunks, ...(pack ? [1, pack.bP, pack.ldb, pack.transposeB ? 1 : 0, pack.flag] : [0])]);
  const main = x[`sparse${SPARSE_GROUP}`] as SparseKernel;
  // (scalar arguments and no allocation per piece: a call's pieces are 0.02–0.1 ms each)
  claimPieces(worker, 1, pieces, (p0, len) => {
    for (let p = p0; p < p0 + len; p++) {
      // a group of SPARSE_GROUP panels, or the last piece: the panels left over, one at a time; rows [r0, r1)
      const g = Math.floor(p / parts);
      const r0 = Math.floor(((p % parts) * m) / parts);
      const r1 = Math.floor((((p % parts) + 1) * m) / parts);
      const q0 = g * SPARSE_GROUP;
      const q1 = g < groups ? q0 + SPARSE_GROUP : full;
      if (pack) packPanels(x, pack, bpP, k, q0, q1);
      // row r0's pairs, chunk ends and C row (pairs are 2·kBytes = panelBytes/4 apart by rows)
      const [list, bounds] = [listP + r0 * (panelBytes >> 2), boundsP + 4 * r0 * chunks];
      if (g < groups) main(list, bounds, bpP, cP + r0 * ldc, ldc, panelBytes, r1 - r0, g, g + 1, chunks);
      else x.sparse1(list, bounds, bpP, cP + r0 * ldc, ldc, panelBytes, r1 - r0, q0, q1, chunks);
    }
  });
  if (tail) {
    // the last panel (zeros past column n; packed by the caller) into tailOff, with a C pointer such that panel
    // `full` lands there
    x.sparse1(listP, boundsP, bpP, tailOff * 4 - full * 32, 32, panelBytes, m, full, full + 1, chunks);
    for (let i = 0; i < m; i++) for (let j = 0; j < tail; j++) h[cOff + i * n + 8 * full + j] = h[tailOff + i * 8 + j] as number;
  }
  worker?.wait();
  return true;
}

/**
 * The sparse GEMM's first-use self-check (the tier's install arms it): the first product that takes it is computed
 * again by the dense GEMM and compared bit for bit (`gemmMatMul`). On a disagreement it warns once, the dense product
 * is used, and no product takes the sparse GEMM until the tier is installed again. Its verdict is `passed` once a
 * product took the sparse GEMM and matched.
 */
export const sparseCheck = comparisonCheck((problem, warn) =>
  warn(`@vib/backends: a product of the pure GEMM's sparse form disagrees with the dense GEMM (${problem}); dense products only from now on.`),
);

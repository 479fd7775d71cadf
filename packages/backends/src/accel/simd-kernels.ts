import { scalarElementwise } from './fused/fused-elementwise.js';
import { SIMD_FUSED_NAMES } from './simd-fused.js';
import { SIMD_UNARY_NAMES } from './simd-math.js';
import { ADAM_CHUNK, ELEMENTWISE_CHUNK, GEMM_GROUP, TRANSPOSE_ROWS, claimPieces, simdHelperFor, startSimdHelper, type SimdHelper } from './simd-helper.js';
import { simdModuleBytes } from './simd-module.js';
import { wasmFma } from './wasm-fma.js';
import { rowProduct, type RowOperands } from './row-product.js';
import { FIELDS_WORDS } from './simd-pack-fields.js';
import { listNonzeros, packPanels, sparseProduct, sparseScratch, type NonzeroList, type PanelSource, type SparseExports } from './sparse-product.js';
import type { WasmBackendInternals } from './wasm-internals.js';

/** The pure tier's SIMD kernels, instantiated on the wasm backend's own memory (no copies). */
export interface SimdKernels {
  /**
   * Fused Adam over `n` floats; offsets in float elements of the backend heap (see `AdamUpdate`).
   */
  adam(n: number, pOff: number, gOff: number, mOff: number, vOff: number, outOff: number,
    lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number): void;
  /**
   * dst = srcᵀ for one rows×cols float matrix; offsets in float elements of the backend heap.
   */
  transpose(srcOff: number, dstOff: number, rows: number, cols: number): void;
  /**
   * out[i] = f(in[i]) over `n` floats (offsets in float elements of the backend heap); `op` numbers exp, log,
   * log1p, softplus, tanh, sigmoid from 0 (as `UNARY_OPS`). Four lanes per instruction; the n mod 4 tail in JS.
   */
  unary(op: number, inOff: number, outOff: number, n: number): void;
  /**
   * out[i] = op(a[i], b[i], c[i]) over `n` floats: the fused chains numbered as `FUSED_ELEMENTWISE` (offsets in
   * float elements; `c` read by the reparameterization chains only). Four lanes per instruction; the tail in JS.
   */
  fused(op: number, aOff: number, bOff: number, cOff: number, outOff: number, n: number): void;
  /** out = fround(a·d) + fround(v·(1 − d)) over `n` floats, rounded as tfjs's Mul and Add kernels round (offsets in float elements). */
  ema(aOff: number, vOff: number, outOff: number, n: number, decay: number): void;
  /**
   * C = A·op(B) for one float32 product (offsets in float elements): A row-major m×k, B k×n (n×k with
   * `transposeB`), C m×n. `scratchOff` holds {@link gemmScratch}(m, k, n) floats: B packed into panels of 8
   * columns, the output of the last partial panel, and A's blocks of 4 rows packed k-major. Long products share their
   * panels with the helper thread.
   *
   * With `packed`, B's panels live at `packed.off` ({@link gemmPackedSize}(k, n) floats) and `scratchOff` holds only
   * the rest ({@link gemmKeptScratch}(m, k) floats). `packed.ready` says they already hold op(B) packed by an earlier
   * call on the same B (then B is not read); otherwise they are filled by this call, for later ones. `packed.finite`:
   * ready panels hold no infinity or NaN.
   *
   * With `sparse`, an A with many zeros takes the sparse GEMM (`sparse-product.ts`; the same bits) where B is finite:
   * ready panels that `packed.finite` vouches for, or panels packed by this call (which notes an infinity or a NaN
   * as it packs, and then multiplies again with the dense GEMM). Returns which GEMM gave C, and whether B's panels
   * are finite: as this call packed them (a kept packing being filled notes it from here), else `packed.finite`.
   * `listed`: A's nonzeros, listed already by the product that computed A (`listed-outputs.ts`), so that the sparse
   * GEMM neither samples nor lists A.
   * With `fields`, B is a convolution's receptive fields, packed straight from its input: `bOff` is their descriptor
   * ({@link FIELDS_WORDS} words, its layout in place of transposeB), n must be a multiple of 8 and C of 4, and no kept
   * packing is given.
   * With `transposedA`, A is given as its transpose (k×m, row-major) and packed from it in one pass (`packRowsT`),
   * never transposed whole; the sparse GEMM is not taken (its list reads A's rows).
   */
  gemm(aOff: number, bOff: number, cOff: number, m: number, k: number, n: number, transposeB: boolean, scratchOff: number,
    packed?: { readonly off: number; readonly ready: boolean; readonly finite?: boolean }, sparse?: boolean, listed?: NonzeroList, fields?: boolean,
    transposedA?: boolean): GemmResult;
  /**
   * C = A·B, plus the bias and a linear or ReLU activation, by rows from a kept packing of B (`row-product.ts`): each
   * thread owns a part of A's rows and multiplies it by B's panels a group at a time, taking over the groups left in
   * the other parts once its own are done; whoever finishes a part adds the bias to its rows and, where asked, lists
   * their nonzeros for the next product.
   */
  rows(o: RowOperands): void;
  /**
   * List A's nonzeros (m×k, row-major) into `listOff` ({@link sparseScratch}(m, k) floats) where a sample says A is
   * sparse, or whatever its density with `sample` false; shared with the helper threads where A is long.
   */
  listNonzeros(aOff: number, m: number, k: number, listOff: number, sample?: boolean): NonzeroList | null;
  /**
   * In place C[r][j] = C[r][j] + bias[j] over `rows` rows of `cols` floats, then max(x, 0) with `relu`: the bias and
   * activation of a fused matmul, bitwise the stock wasm Add and Relu kernels (offsets in float elements).
   */
  biasAct(cOff: number, rows: number, cols: number, biasOff: number, relu: boolean): void;
  /**
   * C[r][j] = S[r][j] + bias[j] over `rows` rows of `cols` floats, S at `srcOff` (C elsewhere, or at the same place):
   * the stock wasm Add of a bias to a tensor, bitwise, in one pass (offsets in float elements).
   */
  biasAddFrom(srcOff: number, cOff: number, rows: number, cols: number, biasOff: number): void;
  /**
   * out[j] = Σᵢ x[i·cols + j], each column added in row order from 0 in float32 (the stock Sum's order): a bias
   * gradient (offsets in float elements).
   */
  colSum(xOff: number, rows: number, cols: number, outOff: number): void;
  /**
   * In place x[r][j] = x[r][j]·scales[r] over `rows` contiguous rows of `cols` floats, bitwise a float32 product
   * (offsets in float elements).
   */
  scaleRows(xOff: number, scalesOff: number, rows: number, cols: number): void;
  /**
   * A convolution's receptive fields (conv-products.ts's unfold and fold, the same numbers): unfold images [b0, b1)
   * of the NHWC tensor at xOff into a row of KH·KW·C floats for each output position at rowsOff (0 in the padding),
   * or, `fold`, add such rows back onto the tensor. Offsets in float elements; `geometry` is H, W, C, OH, OW, KH, KW,
   * the strides and the padding above and left. Like the pools below, one image at a time, the images shared with the
   * helpers (their `images` task) where there are two or more and the pass writes 65,536 floats or more.
   */
  fields(fold: boolean, xOff: number, rowsOff: number, b0: number, b1: number, geometry: readonly number[]): void;
  /**
   * A max pool's gradient for channels [0, c4) (a multiple of 4) of windows that do not overlap (max-pool-gradient.ts's
   * routing, the same numbers): each window's dy at its first strict maximum, 0 at its other positions; positions no
   * window covers are left as they are. Offsets in float elements; `geometry` as for `fields`.
   */
  maxPoolGrad4(xOff: number, dyOff: number, dxOff: number, batch: number, geometry: readonly number[], c4: number): void;
  /**
   * A max pool of `batch` NHWC images (geometry as {@link SimdKernels.maxPoolGrad4} takes it), channels [0, c4) (a
   * multiple of 4): each window's first strictly greater value from −∞, as tfjs's cpu kernel takes it (offsets in floats).
   */
  maxPool4(xOff: number, yOff: number, batch: number, geometry: readonly number[], c4: number): void;
  /**
   * out[r] = Σⱼ x[r][j] over `rows` contiguous rows of `cols` floats, added in column order from +0 in float64 and
   * rounded to float32 once: bitwise the same sum in a JavaScript number (offsets in float elements).
   */
  rowSums64(xOff: number, rows: number, cols: number, outOff: number): void;
}

/**
 * Floats of B's packed panels in {@link SimdKernels.gemm}: ⌈n/8⌉ panels of k×8 (the last one padded with zeros).
 * @param k - inner dimension
 * @param n - columns of C
 * @returns floats
 */
export function gemmPackedSize(k: number, n: number): number {
  return Math.ceil(n / 8) * 8 * k;
}

/** Which GEMM a product took (the dense one, or the sparse one for an A with many zeros), and whether B was finite. */
export interface GemmResult {
  readonly path: 'dense' | 'sparse';
  readonly finite: boolean;
}

/**
 * Floats of scratch {@link SimdKernels.gemm} needs besides B's panels where those are kept elsewhere: m×8 for the
 * last partial panel's output, then A's whole blocks of 4 rows packed or the list of A's nonzeros, then one word.
 * @param m - rows of C
 * @param k - inner dimension
 * @returns floats
 */
export function gemmKeptScratch(m: number, k: number): number {
  return 8 * m + Math.max((m & ~3) * k, sparseScratch(m, k)) + 1;
}

/**
 * Floats of scratch {@link SimdKernels.gemm} needs without a kept packing: ⌈n/8⌉ packed panels of k×8, then
 * {@link gemmKeptScratch}.
 * @param m - rows of C
 * @param k - inner dimension
 * @param n - columns of C
 * @returns floats
 */
export function gemmScratch(m: number, k: number, n: number): number {
  return gemmPackedSize(k, n) + gemmKeptScratch(m, k);
}

/** Scalar versions for the tail of {@link SimdKernels.unary}, in op order. */
const SCALAR: readonly ((x: number) => number)[] = [
  Math.exp, Math.log, Math.log1p,
  (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  Math.tanh,
  (x) => 1 / (1 + Math.exp(-x)),
];

type Gemm = (a: number, lda: number, bp: number, c: number, ldc: number, kBytes: number, blocks: number, p0: number, p1: number) => void;
type Exports = {
  gemm1: Gemm; gemm2: Gemm; gemm3: Gemm;
  gemm4p(ap: number, bp: number, c: number, ldc: number, kBytes: number, blocks: number, p0: number, p1: number): void;
  packB(b: number, ldb: number, dst: number, kCount: number, p0: number, p1: number, flag: number): void;
  packBT(b: number, ldb: number, dst: number, kCount: number, k4: number, p0: number, p1: number, flag: number): void;
  packRowsT(a: number, lda: number, dst: number, kCount: number, blocks: number, rest: number, tail: number): void;
  adam(p: number, g: number, m: number, v: number, out: number, bytes: number, lr: number, b1: number, b2: number, eps: number, c1: number, c2: number): void;
  transpose4(src: number, dst: number, rows: number, cols: number, rows4: number, cols4: number): void;
  biasAdd(c: number, bias: number, rows: number, colBytes: number, ld: number): void;
  biasRelu(c: number, bias: number, rows: number, colBytes: number, ld: number): void;
  biasAddFrom(c: number, bias: number, rows: number, colBytes: number, ld: number, src: number): void;
  colSum(x: number, out: number, rows: number, colBytes: number, ld: number): void;
  scaleRows(x: number, scales: number, rows: number, colBytes: number): void;
  rowSums64(x: number, out: number, rows: number, colBytes: number): void;
  unfoldFields(x: number, rows: number, b0: number, b1: number, ...geometry: number[]): void;
  maxPoolGrad4(x: number, dy: number, dx: number, batch: number, ...geometryAndC4: number[]): void;
  maxPool4(x: number, y: number, batch: number, ...geometryAndC4: number[]): void;
  foldFields(x: number, rows: number, b0: number, b1: number, ...geometry: number[]): void;
  packFields(desc: number, dst: number, kCount: number, p0: number, p1: number, flag: number): void;
} & SparseExports & Record<(typeof SIMD_UNARY_NAMES)[number], (src: number, dst: number, bytes: number) => void>
  & Record<string, (a: number, b: number, c: number, out: number, bytes: number) => void>;

const STRIP = 8;

/** What a pass over images does to each: unfold its receptive fields, fold them back, max-pool it, route a max pool's gradient. */
const IMAGE_OP = { unfold: 0, fold: 1, maxPool: 2, maxPoolGrad: 3 } as const;
type ImageOp = (typeof IMAGE_OP)[keyof typeof IMAGE_OP];

/**
 * A pass over images as the helper's `images` task takes it (simd-helper.ts): the op, the image count, three byte
 * pointers, their strides from one image to the next, the first image's index (for the field passes, which index
 * the tensor themselves), the pools' channels and the geometry.
 */
type ImagePass = readonly [op: ImageOp, count: number, a: number, b: number, c: number, aStride: number, bStride: number, cStride: number, b0: number, c4: number, ...geometry: number[]];

/**
 * Image i of a pass (the helper's `images` task runs the same steps): each image's passes read and write only that
 * image's floats (and its own fields), so images can go to any thread in any order with the same bits.
 */
function imageStep(x: Exports, p: ImagePass, i: number): void {
  const [op, , a, b, c, sa, sb, sc, b0, c4, ...g] = p;
  if (op === IMAGE_OP.unfold) x.unfoldFields(a, b + i * sb, b0 + i, b0 + i + 1, ...g);
  else if (op === IMAGE_OP.fold) x.foldFields(a, b + i * sb, b0 + i, b0 + i + 1, ...g);
  else if (op === IMAGE_OP.maxPool) x.maxPool4(a + i * sa, b + i * sb, 1, ...g, c4);
  else x.maxPoolGrad4(a + i * sa, b + i * sb, c + i * sc, 1, ...g, c4);
}

/** Products of this many multiply-adds and more (with more than one group of whole panels) share their panels with the helper. */
const GEMM_SPLIT = 1 << 18;
/** Rows from which a product of one group of whole panels (or fewer) shares its rows with the helper instead. */
const ROWS_SPLIT_MIN = 16;

/**
 * Every row of A times panels [p0, p1): its blocks of 4 rows from their packing at `apP`, then the last 1–3 rows in
 * place (A contiguous, kBytes per row). Pointers in bytes.
 */
function gemmRows(x: Exports, aP: number, apP: number, bp: number, cP: number, ldc: number, kBytes: number, m: number, p0: number, p1: number): void {
  if (m >= 4) x.gemm4p(apP, bp, cP, ldc, kBytes, m >> 2, p0, p1);
  const rest = m & 3;
  if (rest) (x[`gemm${rest}` as 'gemm1'])(aP + (m - rest) * kBytes, kBytes, bp, cP + (m - rest) * ldc, ldc, kBytes, 1, p0, p1);
}

/**
 * The parts of B's packing the SIMD pack functions leave to JS: the transposed packing's last k mod 4 rows of each
 * whole panel, and the last partial panel (zeros past column n).
 * @returns whether every value copied is finite
 */
function packEdges(h: Float32Array, bOff: number, bp: number, k: number, n: number, transposeB: boolean): boolean {
  const [full, k4, panel] = [n >> 3, k & ~3, 8 * k];
  let finite = true;
  const put = (at: number, v: number): void => {
    h[at] = v;
    if (v - v !== 0) finite = false;
  };
  if (transposeB && k4 < k) {
    for (let p = 0; p < full; p++) for (let kk = k4; kk < k; kk++) for (let j = 0; j < 8; j++) put(bp + p * panel + kk * 8 + j, h[bOff + (8 * p + j) * k + kk] as number);
  }
  if (n & 7) {
    const pOff = bp + full * panel;
    for (let kk = 0; kk < k; kk++) {
      for (let j = 0; j < 8; j++) {
        const col = 8 * full + j;
        put(pOff + kk * 8 + j, col < n ? (h[transposeB ? bOff + col * k + kk : bOff + kk * n + col] as number) : 0);
      }
    }
  }
  return finite;
}

/** A's blocks of 4 rows packed k-major for `gemm4p`: dst[kk][r] = A[4·blk + r][kk], a 4×k strip transposed. */
function packRows(x: Exports, h: Float32Array, aOff: number, apOff: number, m: number, k: number): void {
  const k4 = k & ~3;
  for (let blk = 0; blk < m >> 2; blk++) {
    const [src, dst] = [aOff + 4 * blk * k, apOff + 4 * blk * k];
    if (k4 > 0) x.transpose4(src * 4, dst * 4, 4, k, 4, k4);
    for (let kk = k4; kk < k; kk++) for (let r = 0; r < 4; r++) h[dst + 4 * kk + r] = h[src + r * k + kk] as number;
  }
}

/**
 * Pack panels [p0, p1) of B where `pack` says where B is (none: packed by an earlier call) and multiply every row of A
 * by them, {@link GEMM_GROUP} panels at a time (the helper thread's `gemm` task, simd-helper.ts, runs the same steps
 * on each group it claims). Pointers and strides in bytes.
 */
function gemmPanels(x: Exports, aP: number, apP: number, bp: number, cP: number, ldc: number, kBytes: number, m: number, pack: PanelSource | undefined, p0: number, p1: number): void {
  for (let q0 = p0; q0 < p1; q0 += GEMM_GROUP) {
    const q1 = Math.min(p1, q0 + GEMM_GROUP);
    if (pack) packPanels(x, pack, bp, kBytes >> 2, q0, q1);
    gemmRows(x, aP, apP, bp, cP, ldc, kBytes, m, q0, q1);
  }
}

/** Calls this long (floats) and longer share their work with the helper thread, where one runs. */
const SPLIT = 1 << 16;
/**
 * Elementwise functions of the SIMD module (exp, log, softplus, the fused chains; 2–10 ns an element on one thread)
 * this long (floats) and longer share their work with the helper threads.
 */
const ELEMENTWISE_SPLIT = 1 << 14;
const cache = new WeakMap<object, SimdKernels | null>();

/**
 * The backend's WebAssembly.Memory: tfjs-backend-wasm 4.22 keeps the instance exports on `wasm.asm`, and its
 * threaded build, whose memory is imported rather than exported, keeps it on `wasm.wasmMemory`.
 */
function memoryOf(be: WasmBackendInternals): WebAssembly.Memory | null {
  const m = be.wasm as { asm?: { memory?: unknown }; wasmMemory?: unknown };
  const mem = m.asm?.memory ?? m.wasmMemory;
  // Not `instanceof`: the memory may come from another realm (vitest's VM contexts).
  return typeof WebAssembly === 'object' && Object.prototype.toString.call(mem) === '[object WebAssembly.Memory]' ? (mem as WebAssembly.Memory) : null;
}

const compiled = new Map<boolean, WebAssembly.Module>();

/**
 * The SIMD module compiled once per process for each kind of memory, so that every instance (a new backend's, the
 * helper thread's) shares its code, and V8's optimized tier of it: a module compiled again per backend ran its first
 * steps on V8's baseline code, about 2× slower, until the hot functions were optimized again. Its products take
 * relaxed_madd where {@link wasmFma} says so (decided once per process, so all instances agree bit for bit).
 * @param shared - for a shared memory (tfjs-wasm's threaded build)
 * @returns the compiled module
 * @throws where wasm SIMD is unavailable (the bytes do not validate)
 */
export function simdModule(shared: boolean): WebAssembly.Module {
  let m = compiled.get(shared);
  if (!m) compiled.set(shared, (m = new WebAssembly.Module(simdModuleBytes(shared, wasmFma().madd))));
  return m;
}

/**
 * Build the kernels on `memory` (plain, or shared as in tfjs-wasm's threaded build).
 * @param be - the backend whose heap `memory` is (its HEAPF32 is read for the scalar tails)
 * @param memory - the backend's WebAssembly memory
 * @returns the kernels, or null without wasm SIMD
 */
export function instantiateSimdKernels(be: WasmBackendInternals, memory: WebAssembly.Memory): SimdKernels | null {
  let x: Exports;
  try {
    // The threaded build's heap is a shared memory, and an import must declare the same sharedness.
    const shared = Object.prototype.toString.call(memory.buffer) === '[object SharedArrayBuffer]';
    const instance = new WebAssembly.Instance(simdModule(shared), { env: { mem: memory } });
    x = instance.exports as unknown as Exports;
  } catch {
    return null; // no wasm SIMD: callers fall back to JavaScript
  }
  /**
   * Columns [cols4, cols) of the bias epilogues in JavaScript (the SIMD passes take four at a time): C[r][j] =
   * S[r][j] + bias[j] in float32, then max(·, 0) as f32x4.max computes it with `relu` (−0 → 0, NaN stays).
   */
  const biasTail = (srcOff: number, cOff: number, rows: number, cols: number, cols4: number, biasOff: number, relu: boolean): void => {
    if (cols4 === cols) return;
    const h = be.wasm.HEAPF32;
    for (let r = 0; r < rows; r++) {
      for (let j = cols4; j < cols; j++) {
        const v = Math.fround((h[srcOff + r * cols + j] as number) + (h[biasOff + j] as number));
        h[cOff + r * cols + j] = relu && !(v > 0) && !Number.isNaN(v) ? 0 : v;
      }
    }
  };
  /**
   * An elementwise function of kind 0 (unary, in SIMD_UNARY_NAMES order) or 1 (fused chain, SIMD_FUSED_NAMES) over
   * `n4` floats at byte pointers [a, b, c, out], shared with the helpers (their `elementwise` task) where it is long.
   */
  const elementwise = (kind: 0 | 1, op: number, pointers: readonly [number, number, number, number], n4: number, piece: (i: number, len: number) => void): void => {
    const helper = n4 >= ELEMENTWISE_SPLIT ? simdHelperFor(memory) : undefined;
    helper?.start('elementwise', [kind, op, ...pointers, n4 * 4]);
    claimPieces(helper, ELEMENTWISE_CHUNK, n4 * 4, piece);
    helper?.wait();
  };
  /**
   * A pass over images (unfold, fold, max pool, its gradient), one image at a time, shared with the helpers (their
   * `images` task) where it has two images or more and `floats` (the floats it writes) reach {@link SPLIT}.
   */
  const images = (p: ImagePass, floats: number): void => {
    const count = p[1];
    const helper = count > 1 && floats >= SPLIT ? simdHelperFor(memory) : undefined;
    helper?.start('images', p);
    claimPieces(helper, 1, count, (i, len) => {
      for (let j = i; j < i + len; j++) imageStep(x, p, j);
    });
    helper?.wait();
  };
  return {
    adam(n, pOff, gOff, mOff, vOff, outOff, lr, beta1, beta2, eps, c1, c2) {
      const n4 = n & ~3;
      const helper = n4 >= SPLIT ? simdHelperFor(memory) : undefined;
      const bytes = n4 * 4;
      const at = [pOff * 4, gOff * 4, mOff * 4, vOff * 4, outOff * 4];
      const run = (i: number, len: number): void => x.adam((at[0] as number) + i, (at[1] as number) + i, (at[2] as number) + i, (at[3] as number) + i, (at[4] as number) + i, len, lr, beta1, beta2, eps, c1, c2);
      helper?.start('adam', [...at, bytes, lr, beta1, beta2, eps, c1, c2]);
      claimPieces(helper, ADAM_CHUNK, bytes, run);
      helper?.wait();
      if (n4 === n) return;
      const h = be.wasm.HEAPF32;
      const nlr = Math.fround(-lr);
      for (let i = n4; i < n; i++) {
        const gi = h[gOff + i] as number;
        const mi = Math.fround(Math.fround(beta1 * (h[mOff + i] as number)) + Math.fround(Math.fround(1 - beta1) * gi));
        const vi = Math.fround(Math.fround(beta2 * (h[vOff + i] as number)) + Math.fround(Math.fround(1 - beta2) * gi * gi));
        h[mOff + i] = mi;
        h[vOff + i] = vi;
        h[outOff + i] = (h[pOff + i] as number) + nlr * ((mi * c1) / (Math.sqrt(vi * c2) + eps));
      }
    },
    unary(op, inOff, outOff, n) {
      const name = SIMD_UNARY_NAMES[op];
      const f = SCALAR[op];
      if (!name || !f) throw new Error(`unknown unary op ${op}: expected 0–${SIMD_UNARY_NAMES.length - 1}`);
      const n4 = n & ~3;
      const [src, dst] = [inOff * 4, outOff * 4];
      elementwise(0, op, [src, 0, 0, dst], n4, (i, len) => x[name](src + i, dst + i, len));
      const h = be.wasm.HEAPF32;
      for (let i = n4; i < n; i++) h[outOff + i] = f(h[inOff + i] as number);
    },
    fused(op, aOff, bOff, cOff, outOff, n) {
      const name = SIMD_FUSED_NAMES[op];
      if (!name) throw new Error(`unknown fused elementwise op ${op}: expected 0–${SIMD_FUSED_NAMES.length - 1}`);
      const n4 = n & ~3;
      const f = x[name] as (a: number, b: number, c: number, o: number, bytes: number) => void;
      const [pa, pb, pc, po] = [aOff * 4, bOff * 4, cOff * 4, outOff * 4];
      elementwise(1, op, [pa, pb, pc, po], n4, (i, len) => f(pa + i, pb + i, pc + i, po + i, len));
      if (n4 < n) scalarElementwise(be.wasm.HEAPF32, op, n4, n, [aOff, bOff, cOff, outOff]);
    },
    ema(aOff, vOff, outOff, n, decay) {
      const [d, e] = [Math.fround(decay), Math.fround(1 - decay)];
      const n4 = n & ~3;
      if (n4 > 0) (x['ema'] as unknown as (a: number, v: number, o: number, bytes: number, d: number, e: number) => void)(aOff * 4, vOff * 4, outOff * 4, n4 * 4, d, e);
      const h = be.wasm.HEAPF32;
      for (let i = n4; i < n; i++) h[outOff + i] = Math.fround((h[aOff + i] as number) * d) + Math.fround((h[vOff + i] as number) * e);
    },
    gemm(aOff, bOff, cOff, m, k, n, transposeB, scratchOff, packed, sparse = false, listed, fields = false, transposedA = false) {
      if (fields && (packed || n % 8 !== 0)) throw new Error(`@vib/backends: a GEMM on receptive fields packs whole panels afresh (n=${n}, ${packed ? 'a kept packing given' : 'none kept'})`);
      if (transposedA && (sparse || listed)) throw new Error('@vib/backends: a GEMM on A given as its transpose takes the dense kernels only (the sparse one lists the rows of A)');
      if (m === 0 || n === 0) return { path: 'dense', finite: packed?.finite === true };
      const full = n >> 3;
      const tail = n & 7;
      const h = be.wasm.HEAPF32;
      const panel = 8 * k;
      let ready = packed?.ready === true;
      const bp = packed ? packed.off : scratchOff;
      // scratch after B's panels (unless kept elsewhere): the last partial panel's output, A's packed blocks or its
      // list of nonzeros, and the word the packing sets where B is not finite
      const tailOut = packed ? scratchOff : scratchOff + Math.ceil(n / 8) * panel;
      const apOff = tailOut + 8 * m;
      const flagOff = apOff + Math.max((m & ~3) * k, sparseScratch(m, k));
      const flag = new Int32Array(h.buffer, h.byteOffset, h.length);
      flag[flagOff] = 0;
      if (!ready && !fields && !packEdges(h, bOff, bp, k, n, transposeB)) flag[flagOff] = 1;
      const ldb = fields ? 0 : (transposeB ? k : n) * 4;
      const pack = ready ? undefined : { bP: bOff * 4, ldb, transposeB, flag: flagOff * 4 };
      // an A with many zeros: the sparse GEMM, where B is finite (a kept packing says so; a fresh one is checked as it
      // is packed, and an infinite or NaN B is then multiplied again, densely, from its panels)
      if (sparse && (!ready || packed?.finite === true) && sparseProduct(x, h, memory, { aOff, m, k, n, bp, cOff, listOff: apOff, tailOff: tailOut, pack, listed })) {
        if (flag[flagOff] === 0) return { path: 'sparse', finite: true };
        ready = true;
      }
      // A's blocks of 4 rows packed k-major; with A given transposed, its last 1–3 rows too, row-major after the blocks,
      // where the kernels read A's rows in place (`rowsOff`: A itself otherwise)
      if (transposedA) x.packRowsT(aOff * 4, m * 4, apOff * 4, k, m >> 2, m & 3, (apOff + (m & ~3) * k) * 4);
      else packRows(x, h, aOff, apOff, m, k);
      const rowsOff = transposedA ? apOff : aOff;
      // few whole panels (one group: a layer of few outputs, a narrow convolution's products) and many rows: this
      // thread packs B, then takes the first half of the rows (a multiple of 4) and the helper the rest, each row's sums
      // as the GEMM computes them whoever takes it; this thread then claims what the helper has not (all of it where
      // the helper has not woken yet, which the call then leaves out)
      const byRows = full > 0 && full <= GEMM_GROUP && m >= ROWS_SPLIT_MIN && m * n * k >= GEMM_SPLIT ? simdHelperFor(memory) : undefined;
      if (byRows) {
        if (pack && !ready) packPanels(x, pack, bp * 4, k, 0, full);
        const half = (m >> 3) << 2;
        // the helper's half: A's rows (in place and packed), the panels, C's rows, C's and A's row bytes, the rows
        const theirs = [(rowsOff + half * k) * 4, (apOff + half * k) * 4, bp * 4, (cOff + half * n) * 4, n * 4, k * 4, m - half] as const;
        byRows.start('gemm', [theirs[0], theirs[1], bOff * 4, ldb, bp * 4, theirs[3], n * 4, k * 4, m - half, transposeB ? 1 : 0, 1, flagOff * 4, full]);
        gemmRows(x, rowsOff * 4, apOff * 4, bp * 4, cOff * 4, n * 4, k * 4, half, 0, full);
        claimPieces(byRows, GEMM_GROUP, full, (q0, len) => gemmRows(x, ...theirs, q0, q0 + len));
      }
      // long products: this thread and the helper claim groups of panels from one counter until none is left, so
      // a helper that starts late or runs slower takes fewer (against a fixed half each: the pure VIB step 4.3 % faster)
      const helper = byRows ?? (full > GEMM_GROUP && m * n * k >= GEMM_SPLIT ? simdHelperFor(memory) : undefined);
      if (!byRows) {
        helper?.start('gemm', [rowsOff * 4, apOff * 4, bOff * 4, ldb, bp * 4, cOff * 4, n * 4, k * 4, m, transposeB ? 1 : 0, ready ? 1 : 0, flagOff * 4, full]);
        const packNow = ready ? undefined : pack;
        claimPieces(helper, GEMM_GROUP, full, (q0, len) => gemmPanels(x, rowsOff * 4, apOff * 4, bp * 4, cOff * 4, n * 4, k * 4, m, packNow, q0, q0 + len));
      }
      if (tail) {
        // the last partial panel (packed by packEdges), multiplied into scratch with a C pointer such that panel
        // `full` lands at `tailOut` with a row stride of 8 floats, then copied out
        const c = tailOut * 4 - full * 32;
        gemmRows(x, rowsOff * 4, apOff * 4, bp * 4, c, 32, k * 4, m, full, full + 1);
        for (let i = 0; i < m; i++) for (let j = 0; j < tail; j++) h[cOff + i * n + 8 * full + j] = h[tailOut + i * 8 + j] as number;
      }
      helper?.wait();
      return { path: 'dense', finite: pack ? flag[flagOff] === 0 : packed?.finite === true };
    },
    rows: (o) => rowProduct(x, memory, o),
    listNonzeros: (aOff, m, k, listOff, sample = true) => listNonzeros(x, be.wasm.HEAPF32, memory, aOff, m, k, listOff, sample),
    biasAct(cOff, rows, cols, biasOff, relu) {
      const cols4 = cols & ~3;
      if (cols4 > 0 && rows > 0) (relu ? x.biasRelu : x.biasAdd)(cOff * 4, biasOff * 4, rows, cols4 * 4, cols * 4);
      biasTail(cOff, cOff, rows, cols, cols4, biasOff, relu);
    },
    biasAddFrom(srcOff, cOff, rows, cols, biasOff) {
      const cols4 = cols & ~3;
      if (cols4 > 0 && rows > 0) x.biasAddFrom(cOff * 4, biasOff * 4, rows, cols4 * 4, cols * 4, srcOff * 4);
      biasTail(srcOff, cOff, rows, cols, cols4, biasOff, false);
    },
    maxPoolGrad4(xOff, dyOff, dxOff, batch, geometry, c4) {
      const [H, W, C, OH, OW] = geometry as [number, number, number, number, number];
      images([IMAGE_OP.maxPoolGrad, batch, xOff * 4, dyOff * 4, dxOff * 4, 4 * H * W * C, 4 * OH * OW * C, 4 * H * W * C, 0, c4, ...geometry], batch * H * W * c4);
    },
    maxPool4(xOff, yOff, batch, geometry, c4) {
      const [H, W, C, OH, OW] = geometry as [number, number, number, number, number];
      images([IMAGE_OP.maxPool, batch, xOff * 4, yOff * 4, 0, 4 * H * W * C, 4 * OH * OW * C, 0, 0, c4, ...geometry], batch * H * W * c4);
    },
    fields(fold, xOff, rowsOff, b0, b1, geometry) {
      const [, , C, OH, OW, KH, KW] = geometry as [number, number, number, number, number, number, number];
      const fields = OH * OW * KH * KW * C;
      images([fold ? IMAGE_OP.fold : IMAGE_OP.unfold, b1 - b0, xOff * 4, rowsOff * 4, 0, 0, 4 * fields, 0, b0, 0, ...geometry], (b1 - b0) * fields);
    },
    scaleRows(xOff, scalesOff, rows, cols) {
      x.scaleRows(xOff * 4, scalesOff * 4, rows, cols * 4);
    },
    rowSums64(xOff, rows, cols, outOff) {
      x.rowSums64(xOff * 4, outOff * 4, rows, cols * 4);
    },
    colSum(xOff, rows, cols, outOff) {
      const cols4 = cols & ~3;
      if (cols4 > 0) x.colSum(xOff * 4, outOff * 4, rows, cols4 * 4, cols * 4);
      const h = be.wasm.HEAPF32;
      for (let j = cols4; j < cols; j++) {
        let sum = 0;
        for (let r = 0; r < rows; r++) sum = Math.fround(sum + (h[xOff + r * cols + j] as number));
        h[outOff + j] = sum;
      }
    },
    transpose(srcOff, dstOff, rows, cols) {
      const rows4 = rows & ~3;
      const cols4 = cols & ~3;
      // Column strips of 8: the 8 destination rows being filled stay in L1 even when the destination stride is
      // a multiple of 4 KiB (one 4×4 sweep over whole rows ran 2.1 ns/element at 1024×1024, strips 0.7–1.0).
      // Long ones: both threads claim TRANSPOSE_ROWS rows at a time from one counter until none is left.
      const helper = rows4 > 0 && rows4 * cols4 >= SPLIT ? simdHelperFor(memory) : undefined;
      const strips = (r0: number, part: number): void => {
        for (let j0 = 0; j0 < cols4; j0 += STRIP) {
          x.transpose4((srcOff + r0 * cols + j0) * 4, (dstOff + j0 * rows + r0) * 4, rows, cols, part, Math.min(STRIP, cols4 - j0));
        }
      };
      helper?.start('transposeRows', [srcOff * 4, dstOff * 4, rows, cols, rows4, cols4, STRIP]);
      claimPieces(helper, TRANSPOSE_ROWS, rows4, strips);
      helper?.wait();
      if (rows4 === rows && cols4 === cols) return;
      const h = be.wasm.HEAPF32;
      for (let i = 0; i < rows; i++) {
        const s = srcOff + i * cols;
        for (let j = i < rows4 ? cols4 : 0; j < cols; j++) h[dstOff + j * rows + i] = h[s + j] as number;
      }
    },
  };
}

/**
 * The SIMD kernels for a wasm backend, built once per backend memory.
 * @param be - wasm backend internals
 * @returns the kernels, or null where the memory is not reachable or wasm SIMD is unavailable
 */
export function simdKernels(be: WasmBackendInternals): SimdKernels | null {
  const memory = memoryOf(be);
  if (!memory) return null;
  if (!cache.has(memory)) cache.set(memory, instantiateSimdKernels(be, memory));
  return cache.get(memory) ?? null;
}

/**
 * Start the helper threads that share each long GEMM, Adam and transpose call (see `simd-helper.ts`), for a wasm
 * backend whose heap is shared (tfjs-wasm's threaded build).
 * @param be - wasm backend internals
 * @param count - helper threads to start (the run's threads less the calling one); a heap keeps those first started
 * @returns the helpers that run now, or undefined where none does
 */
export async function useSimdHelper(be: WasmBackendInternals, count = 1): Promise<SimdHelper | undefined> {
  const memory = memoryOf(be);
  if (memory === null || simdKernels(be) === null) return undefined;
  return simdHelperFor(memory) ?? (await startSimdHelper(memory, simdModule(true), count)) ?? undefined;
}

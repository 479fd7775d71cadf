/** The kernels of the addon's sgemm for plain products: its own (AVX-512, or AVX2 and FMA) and OpenBLAS's. */
export type GemmKernelName = 'avx512' | 'avx2' | 'openblas';

/** The addon's own GEMM kernels: where one runs, results do not depend on the thread count. */
export const OWN_GEMM_KERNELS: readonly GemmKernelName[] = ['avx512', 'avx2'];

/** How messages name each kernel. */
export const GEMM_KERNEL_LABELS: Readonly<Record<GemmKernelName, string>> = { avx512: 'AVX-512', avx2: 'AVX2', openblas: 'OpenBLAS' };

/** The functions of the optional `@vib/native-blas` addon (see that package's index.d.ts). */
export interface NativeBlas {
  /**
   * Row-major single-precision GEMM: C = alpha·op(A)·op(B) + beta·C, through the addon's own kernel (AVX-512, or
   * AVX2 when chosen; see `gemmKernel`) or OpenBLAS.
   * Offsets and leading dimensions count float elements into `heap`.
   * @param heap - the array holding A, B and C (the tfjs wasm heap `HEAPF32`)
   * @param transA - use Aᵀ
   * @param transB - use Bᵀ
   * @param m - rows of op(A) and C
   * @param n - columns of op(B) and C
   * @param k - the inner dimension
   * @param alpha - scale of the product
   * @param aOff - offset of A
   * @param lda - leading dimension of A
   * @param bOff - offset of B
   * @param ldb - leading dimension of B
   * @param beta - scale of the old C (0 overwrites C)
   * @param cOff - offset of C
   * @param ldc - leading dimension of C
   * @throws TypeError when a range lies outside `heap`
   */
  sgemm(
    heap: Float32Array, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    aOff: number, lda: number, bOff: number, ldb: number, beta: number, cOff: number, ldc: number,
  ): void;
  /**
   * In place C[i,j] = act(C[i,j] + bias[j]): the bias and activation of a fused Dense layer.
   * @param heap - the array holding C and the bias
   * @param cOff - offset of C [rows, cols], in float elements
   * @param rows - rows of C
   * @param cols - columns of C (and the bias's length)
   * @param biasOff - offset of the bias, or -1 for none
   * @param act - 0 linear, 1 relu
   */
  biasAct(heap: Float32Array, cOff: number, rows: number, cols: number, biasOff: number, act: 0 | 1): void;
  /**
   * One fused Adam step (Kingma & Ba 2015) over n elements: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²
   * in place, and out ← p − lr·(c1·m)/(√(c2·v) + eps). Offsets count float elements into `heap`.
   * @param heap - the array holding p, g, m, v and out
   * @param n - number of elements
   * @param pOff - offset of the parameter
   * @param gOff - offset of the gradient
   * @param mOff - offset of the first moment
   * @param vOff - offset of the second moment
   * @param outOff - offset of the updated parameter (may equal pOff)
   * @param lr - learning rate
   * @param beta1 - first-moment decay β₁
   * @param beta2 - second-moment decay β₂
   * @param eps - the denominator's epsilon
   * @param c1 - bias correction 1/(1 − β₁ᵗ)
   * @param c2 - bias correction 1/(1 − β₂ᵗ)
   */
  adam(
    heap: Float32Array, n: number, pOff: number, gOff: number, mOff: number, vOff: number, outOff: number,
    lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number,
  ): void;
  /**
   * out[i] = f(in[i]) over n floats, vectorized (8 lanes, Cephes polynomials); absent in addons built
   * before it was added.
   * @param heap - the array holding input and output
   * @param op - 0 exp, 1 log, 2 log1p, 3 softplus, 4 tanh, 5 sigmoid
   * @param inOff - offset of the input, in float elements
   * @param outOff - offset of the output (may equal inOff)
   * @param n - number of elements
   * @returns false for an unknown op
   */
  unary?(heap: Float32Array, op: number, inOff: number, outOff: number, n: number): boolean;
  /**
   * out[i] = op(a[i], b[i], c[i]) over n floats: the fused elementwise chains (`FUSED_ELEMENTWISE`), vectorized;
   * absent in addons built before it was added.
   * @param heap - the array holding inputs and output
   * @param op - a `FUSED_ELEMENTWISE` number
   * @param aOff - offset of a, in float elements
   * @param bOff - offset of b
   * @param cOff - offset of c (read by the reparameterization ops only)
   * @param outOff - offset of the output
   * @param n - number of elements
   * @returns false for an unknown op
   */
  fused?(heap: Float32Array, op: number, aOff: number, bOff: number, cOff: number, outOff: number, n: number): boolean;
  /**
   * How many `unary` and `fused` passes were split over the addon's threads since it loaded: they split (8,192
   * elements a thread or more) only where its workers are awake after a recent parallel call; absent in addons
   * built before they split.
   */
  vecSplits?(): number;
  /**
   * out[i] = a[i]·d + v[i]·e over n floats, each product and the sum rounded to float32 (the stock Mul, Mul, Add):
   * the exponential moving average of the weights, split over the addon's threads for long arrays; absent in
   * addons built before it was added.
   * @param heap - the array holding inputs and output
   * @param aOff - offset of the average, in float elements
   * @param vOff - offset of the value
   * @param outOff - offset of the output
   * @param n - number of elements
   * @param d - the decay, as float32
   * @param e - 1 − decay, as float32
   */
  ema?(heap: Float32Array, aOff: number, vOff: number, outOff: number, n: number, d: number, e: number): void;
  /**
   * Column sums of a row-major [rows, cols] matrix on the heap, each column added in row order in float32 (bitwise
   * tfjs-wasm's Sum over leading axes); absent in addons built before it was added.
   * @param heap - the array holding input and output
   * @param xOff - offset of the matrix, in float elements
   * @param rows - rows
   * @param cols - columns
   * @param outOff - offset of the `cols` sums
   */
  colSum?(heap: Float32Array, xOff: number, rows: number, cols: number, outOff: number): void;
  /**
   * Unfold images [b0, b1) of the NHWC tensor at xOff into their convolution's receptive fields at rowsOff (im2col:
   * a row of KH·KW·C floats for each output position, 0 in the padding), or, `fold`, add such fields back onto the
   * tensor (col2im, in float32 in the fields' order); split over the addon's threads by images. Absent in addons
   * built before it was added.
   * @param heap - the array holding both
   * @param fold - add the fields back instead of unfolding
   * @param xOff - offset of the tensor's first image, in float elements
   * @param rowsOff - offset of image b0's fields
   * @param b0 - first image
   * @param b1 - one past the last image
   * @throws TypeError when a size is under 1 or a range lies outside `heap`
   */
  convFields?(heap: Float32Array, fold: boolean, xOff: number, rowsOff: number, b0: number, b1: number,
    H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number): void;
  /**
   * C[M,N] = op(A)·op(B) through the own GEMM, B the receptive fields of images [b0, b1) of the NHWC tensor at xOff
   * ([positions × KH·KW·C], as `convFields` unfolds them; op(B) their transpose with transB) gathered block by block
   * as the packing needs them, never stored (an implicit im2col); the same bits as `sgemm` on the unfolded fields.
   * False, computing nothing, where OpenBLAS does the products. Absent in addons built before it was added.
   * @throws TypeError when the shapes do not fit the fields, a range lies outside `heap`, or C overlaps an input
   */
  fieldsProduct?(heap: Float32Array, transA: boolean, transB: boolean, M: number, N: number, K: number, aOff: number, lda: number,
    xOff: number, b0: number, b1: number, H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number,
    sh: number, sw: number, top: number, left: number, cOff: number, ldc: number): boolean;
  /**
   * A convolution's input gradient for images [b0, b1), dx = the fold of dy · Wᵀ (W the filter as [KH·KW·C × OC]),
   * written whole for those images; each image's fields held in a thread's buffer and folded at once rather than
   * stored for the batch: the same bits as `sgemm` then `convFields`' fold. False, doing nothing, where OpenBLAS does
   * the products, an image's fields pass 2^22 floats, or a thread would get fewer than 4 images (a product on the batch
   * splits better then). Absent in addons built before it was added.
   * @throws TypeError when a size is under 1, a range lies outside `heap`, or dx overlaps an input
   */
  foldProduct?(heap: Float32Array, dyOff: number, wOff: number, dxOff: number, OC: number, b0: number, b1: number,
    H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number): boolean;
  /**
   * C[M,N] = op(F)·B through the own GEMM, F the receptive fields of images [b0, b1) of the NHWC tensor at xOff
   * ([positions × KH·KW·C]; op(F) their transpose with transA) gathered block by block as the packing of the left
   * operand needs them, never stored, and B stored [K × N]: a narrow convolution's forward product or filter gradient;
   * the same bits as `sgemm` on the unfolded fields. False, computing nothing, where OpenBLAS does the products.
   * Absent in addons built before it was added.
   * @throws TypeError when the shapes do not fit the fields, a range lies outside `heap`, or C overlaps an input
   */
  leftFieldsProduct?(heap: Float32Array, transA: boolean, M: number, N: number, K: number, xOff: number, b0: number, b1: number,
    H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number,
    bOff: number, ldb: number, cOff: number, ldc: number): boolean;
  /**
   * A max pool's gradient for B NHWC images: each window's dy to its first strictly greater input from −∞ per
   * channel, overlapping windows added in float64 (tfjs's cpu kernel's numbers); split over the addon's threads by
   * images. Absent in addons built before it was added.
   * @param heap - the array holding x, dy and dx
   * @param xOff - offset of the pool's input, in float elements
   * @param dyOff - offset of the gradient of its output
   * @param dxOff - offset of the gradient written
   * @param B - images
   * @throws TypeError when a size is under 1 or a range lies outside `heap`
   */
  maxPoolGrad?(heap: Float32Array, xOff: number, dyOff: number, dxOff: number, B: number,
    H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number): void;
  /**
   * A max pool of B NHWC images: each window's first strictly greater input from −∞ per channel (tfjs's cpu kernel's
   * numbers); split over the addon's threads by images. Absent in addons built before it was added.
   * @param heap - the array holding x and y
   * @param xOff - offset of the pool's input, in float elements
   * @param yOff - offset of its output
   * @param B - images
   * @throws TypeError when a size is under 1, a range lies outside `heap`, or y overlaps x
   */
  maxPool?(heap: Float32Array, xOff: number, yOff: number, B: number,
    H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number): void;
  /**
   * Row sums of a row-major [rows, cols] matrix on the heap, each row added from its first element in float32
   * (bitwise tfjs-wasm's Sum over trailing axes); absent in addons built before it was added.
   * @param heap - the array holding input and output
   * @param xOff - offset of the matrix, in float elements
   * @param rows - rows
   * @param cols - columns
   * @param outOff - offset of the `rows` sums
   */
  rowSum?(heap: Float32Array, xOff: number, rows: number, cols: number, outOff: number): void;
  /**
   * The polar method over `count` lanes of the Alea stream interleaved (a multiple of 4, split over OpenBLAS's
   * threads), with exactly the numbers of `@vib/core`'s `polarSpan`; absent in addons built before it was added.
   * @param out - output array; lane i writes its accepted pairs from `outOff + i·uniforms`
   * @param outOff - where lane 0 writes
   * @param lanes - 5 numbers a lane: Alea's state [c, s0, s1, s2] (advanced in place), then its accepted pairs (written)
   * @param count - lanes
   * @param uniforms - stream outputs each lane consumes, even
   * @param mean - added to every value
   * @param stdDev - multiplies every value
   */
  polar?(out: Float32Array, outOff: number, lanes: Float64Array, count: number, uniforms: number, mean: number, stdDev: number): void;
  /**
   * The addon's thread count: its pool runs the products (OpenBLAS's in bands of C, one single-threaded call each),
   * Adam, the EMA and the normal draws.
   * @returns threads (at load: OPENBLAS_NUM_THREADS, else the cores)
   */
  getNumThreads(): number;
  /**
   * Set how many threads the addon's pool may use.
   * @param n - the thread count
   */
  setNumThreads(n: number): void;
  /**
   * OpenBLAS's build configuration.
   * @returns the configuration string (version, CPU kernel, max threads)
   */
  config(): string;
  /**
   * The kernel sgemm uses for plain products (alpha 1, beta 0): the addon's own, `avx512` or `avx2` (the default
   * where it was built for a CPU with AVX-512, or with AVX2 and FMA; both give the same bits), or `openblas`; absent
   * in addons built before it was added (`avx2` in those built before the evening of 2026-12-04).
   */
  gemmKernel?(): GemmKernelName;
  /**
   * Chooses sgemm's kernel for plain products; `avx512` or `avx2` falls back to `openblas` in an addon not built
   * with that kernel.
   * @param name - `avx512`, `avx2` or `openblas`
   * @returns the kernel now in use
   * @throws TypeError for any other name
   */
  setGemmKernel?(name: GemmKernelName): GemmKernelName;
  /** Absolute path of the loaded `.node` addon. */
  readonly addonPath: string;
}

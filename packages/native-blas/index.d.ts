/**
 * Row-major single-precision GEMM: C = alpha·op(A)·op(B) + beta·C. Plain products (alpha 1, beta 0) go through the
 * addon's own AVX-512 kernel where it was built for a CPU with AVX-512 (see {@link gemmKernel}; its AVX2 kernel when
 * chosen), the rest through OpenBLAS. Plain products of one to four rows with neither operand transposed (inference
 * on a few inputs) take the own kernel's few-row path wherever the addon has an own kernel (AVX-512, or AVX2 and
 * FMA), whichever kernel {@link gemmKernel} names: B streamed once in place, the packed kernel's sums bit for bit.
 * Offsets and leading dimensions are in float elements into `heap`; ranges are bounds-checked (every function's
 * spans saturate past 2^63 rather than wrap, so no size passes a check by overflowing), and each leading dimension
 * must be at least its stored row's length (BLAS's rule: lda ≥ k, or m with transA; ldb ≥ n, or k with transB;
 * ldc ≥ n).
 * @param heap - the array holding A, B and C (e.g. the tfjs wasm heap `HEAPF32`)
 * @param transA - use Aᵀ
 * @param transB - use Bᵀ
 * @param m - rows of op(A) and C
 * @param n - columns of op(B) and C
 * @param k - inner dimension
 * @param alpha - scale of the product
 * @param aOff - offset of A
 * @param lda - leading dimension of A
 * @param bOff - offset of B
 * @param ldb - leading dimension of B
 * @param beta - scale of the old C
 * @param cOff - offset of C
 * @param ldc - leading dimension of C
 * @throws TypeError when `heap` is not a Float32Array, an argument is not a finite number, k < 0, a leading
 *   dimension is under its row's length, or a range lies outside `heap`
 */
export declare function sgemm(
  heap: Float32Array, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  aOff: number, lda: number, bOff: number, ldb: number, beta: number, cOff: number, ldc: number,
): void;
/**
 * In place C[i,j] = act(C[i,j] + bias[j]); the ReLU as tfjs-wasm's `Relu` computes it, max(x, 0): NaN stays NaN (since
 * 2026-12-07; it had become 0, so a NaN that reached a ReLU layer of the native tier went on as a number), −0 becomes 0.
 * @param heap - the array holding C and the bias
 * @param cOff - offset of C [rows, cols]
 * @param rows - rows of C
 * @param cols - columns of C (and length of the bias)
 * @param biasOff - offset of the bias, or -1 for none
 * @param act - 0 linear, 1 relu
 */
export declare function biasAct(heap: Float32Array, cOff: number, rows: number, cols: number, biasOff: number, act: 0 | 1): void;
/**
 * One fused Adam step (Kingma & Ba 2015), m and v in place, the new parameter written at `outOff`: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * out ← p − lr·(c1·m)/(√(c2·v) + eps).
 * @param heap - the array holding p, g, m, v
 * @param n - number of elements
 * @param pOff - offset of the parameter
 * @param gOff - offset of the gradient
 * @param mOff - offset of the first moment
 * @param vOff - offset of the second moment
 * @param outOff - offset of the updated parameter (may equal pOff)
 * @param lr - learning rate
 * @param beta1 - first-moment decay
 * @param beta2 - second-moment decay
 * @param eps - epsilon
 * @param c1 - bias correction 1/(1 − β₁ᵗ)
 * @param c2 - bias correction 1/(1 − β₂ᵗ)
 */
export declare function adam(
  heap: Float32Array, n: number, pOff: number, gOff: number, mOff: number, vOff: number, outOff: number,
  lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number,
): void;
/**
 * out[i] = f(in[i]) over n floats, vectorized (8 lanes; Cephes's expf/logf polynomials, ≤ 4e-7 relative error).
 * @param heap - the array holding input and output
 * @param op - 0 exp, 1 log, 2 log1p, 3 softplus, 4 tanh, 5 sigmoid
 * @param inOff - offset of the input, in float elements
 * @param outOff - offset of the output (may equal inOff)
 * @param n - number of elements
 * @returns false for an unknown op
 * @throws TypeError when a range lies outside `heap`
 */
export declare function unary(heap: Float32Array, op: number, inOff: number, outOff: number, n: number): boolean;
/**
 * out[i] = op(a[i], b[i], c[i]) over n floats: the fused elementwise chains of the VIB and VAE steps, vectorized
 * like `unary`. Ops: 0 ½(e^b + a² − 1 − b) (Gaussian KL to N(0, 1)), 1 ½·a·(e^b − 1) (its log σ² gradient),
 * 2 a + e^(b/2)·c (reparameterized sample), 3 ½·a·c·e^(b/2) (its log σ² gradient), 4 softplus(a) − b·a
 * (Bernoulli −log-likelihood), 5 σ(a) − b (its logits gradient before the upstream factor), 6 a·step(b) (the
 * gradient through a ReLU from its output b: 1 where b > 0, 0 elsewhere, NaN where b is NaN), 7 2·log(softplus(a − 5)
 * + 10⁻⁶) (log σ² of the softplus scale), 8 (2·a)/(softplus(b − 5) + 10⁻⁶)·σ(b − 5) (its gradient, a = dy).
 * @param heap - the array holding inputs and output
 * @param op - 0 to 8, as above
 * @param aOff - offset of a, in float elements
 * @param bOff - offset of b
 * @param cOff - offset of c (read by ops 2 and 3 only)
 * @param outOff - offset of the output (may equal an input's)
 * @param n - number of elements
 * @returns false for an unknown op
 * @throws TypeError when a range lies outside `heap`
 */
export declare function fused(heap: Float32Array, op: number, aOff: number, bOff: number, cOff: number, outOff: number, n: number): boolean;
/**
 * out[i] = a[i]·d + v[i]·e over n floats, each product and the sum rounded to float32 (no fused multiply-add): one
 * step of an exponential moving average, bitwise TensorFlow.js's Mul, Mul, Add. Arrays of 2·65,536 floats or more
 * are split over OpenBLAS's thread count (as `adam` is), with the same result.
 * @param heap - the array holding the inputs and the output
 * @param aOff - offset of the average
 * @param vOff - offset of the value
 * @param outOff - offset of the output (may equal aOff)
 * @param n - number of elements
 * @param d - the decay
 * @param e - 1 − decay
 * @throws TypeError when a range lies outside `heap`
 */
export declare function ema(heap: Float32Array, aOff: number, vOff: number, outOff: number, n: number, d: number, e: number): void;
/**
 * Normal draws with exactly the numbers of `tf.randomNormal` (Alea and Marsaglia's polar method, as `@vib/core`'s
 * `polarSpan` runs them, with V8's `Math.log` algorithm), over `count` independent spans ("lanes") of the stream
 * interleaved in one loop and split over OpenBLAS's thread count. Lane i starts from its own state (e.g. from
 * `aleaJump`), consumes exactly `uniforms` outputs, and writes the two values of each accepted pair to
 * `out[outOff + i·uniforms ...]`.
 * @param out - the output array
 * @param outOff - where lane 0 writes
 * @param lanes - 5 numbers per lane: Alea's state [c, s0, s1, s2] (advanced in place), then the lane's accepted
 *   pairs (written)
 * @param count - lanes, a positive multiple of 4
 * @param uniforms - outputs per lane, even
 * @param mean - added to every value
 * @param stdDev - multiplies every value
 * @throws TypeError on a bad lane count, odd `uniforms`, a short `lanes` array or a range outside `out`
 */
export declare function polar(out: Float32Array, outOff: number, lanes: Float64Array, count: number, uniforms: number, mean: number, stdDev: number): void;
/**
 * Column sums of a row-major [rows, cols] matrix, out[j] = Σᵢ x[i·cols + j], each column added in row order in
 * float32: bitwise tfjs-wasm's Sum over leading axes.
 * @param heap - the array holding the input and the output
 * @param xOff - offset of the matrix
 * @param rows - rows (the product of the reduced leading axes)
 * @param cols - columns (the product of the kept axes)
 * @param outOff - offset of the `cols` sums (not overlapping the matrix)
 * @throws TypeError when a range lies outside `heap` or the output overlaps the input
 */
export declare function colSum(heap: Float32Array, xOff: number, rows: number, cols: number, outOff: number): void;
/**
 * A convolution's receptive fields (NHWC, dilation 1): unfold images [b0, b1) of the tensor at `xOff` into a row of
 * KH·KW·C floats for each output position at `rowsOff` (im2col, 0 in the padding), or, with `fold`, add such rows back
 * onto the tensor where the fields overlap (col2im, in float32, each element's terms in the rows' order). Split over
 * the addon's threads by images (the same bits for any split).
 * @param heap - the array holding the tensor and the rows
 * @param fold - add the rows back onto the tensor instead of unfolding it
 * @param xOff - offset of the tensor's first image (not of image b0)
 * @param rowsOff - offset of image b0's rows (not overlapping images [b0, b1))
 * @param b0 - first image
 * @param b1 - one past the last image
 * @param H - input height
 * @param W - input width
 * @param C - input channels
 * @param OH - output height
 * @param OW - output width
 * @param KH - filter height
 * @param KW - filter width
 * @param sh - vertical stride
 * @param sw - horizontal stride
 * @param top - padding rows above the input
 * @param left - padding columns left of the input
 * @throws TypeError when a size or stride is under 1, a range lies outside `heap`, or the rows overlap the images
 */
export declare function convFields(
  heap: Float32Array, fold: boolean, xOff: number, rowsOff: number, b0: number, b1: number,
  H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number,
): void;
/**
 * A max pool's gradient for B NHWC images (tfjs's cpu kernel's routing): each window's dy goes, per channel, to the
 * window's first input strictly greater than every earlier one from −∞ in row-major order (a window of NaN or −∞
 * alone passes nothing back); overlapping windows add in float64 and round once. dx is written whole. Split over the
 * addon's threads by images.
 * @param heap - the array holding x, dy and dx
 * @param xOff - offset of the pool's input [B, H, W, C]
 * @param dyOff - offset of the gradient of its output [B, OH, OW, C]
 * @param dxOff - offset of the gradient written [B, H, W, C] (not overlapping x or dy)
 * @param B - images
 * @param H - input height
 * @param W - input width
 * @param C - channels
 * @param OH - output height
 * @param OW - output width
 * @param KH - window height
 * @param KW - window width
 * @param sh - vertical stride
 * @param sw - horizontal stride
 * @param top - padding rows above the input
 * @param left - padding columns left of the input
 * @throws TypeError when a size or stride is under 1, a range lies outside `heap`, or dx overlaps an input
 */
export declare function maxPoolGrad(
  heap: Float32Array, xOff: number, dyOff: number, dxOff: number, B: number,
  H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number,
): void;
/**
 * A max pool of B NHWC images (tfjs's cpu kernel's numbers): per channel, each window's first input strictly greater
 * than every earlier one from −∞ in row-major order (NaN passes over; a window of NaN or −∞ alone gives −∞). Split
 * over the addon's threads by images.
 * @param heap - the array holding x and y
 * @param xOff - offset of the pool's input [B, H, W, C]
 * @param yOff - offset of its output [B, OH, OW, C] (not overlapping x)
 * @param B - images
 * @param H - input height
 * @param W - input width
 * @param C - channels
 * @param OH - output height
 * @param OW - output width
 * @param KH - window height
 * @param KW - window width
 * @param sh - vertical stride
 * @param sw - horizontal stride
 * @param top - padding rows above the input
 * @param left - padding columns left of the input
 * @throws TypeError when a size or stride is under 1, a range lies outside `heap`, or y overlaps x
 */
export declare function maxPool(
  heap: Float32Array, xOff: number, yOff: number, B: number,
  H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number,
): void;
/**
 * C[M,N] = op(A)·op(B) through the addon's own GEMM, where B is the receptive fields of images [b0, b1) of the NHWC
 * tensor at xOff — [positions × KH·KW·C], the rows {@link convFields} would unfold; op(B) is their transpose with
 * `transB` — gathered block by block from the images as the GEMM's packing needs them, never stored whole (an
 * implicit im2col). The same bits as {@link sgemm} on the unfolded fields. Returns false, computing nothing, where the
 * own GEMM is not in use (OpenBLAS does the products, see {@link gemmKernel}): unfold the fields then.
 * @param heap - the array holding A, the images and C
 * @param transA - op(A) = Aᵀ
 * @param transB - op(B) = the fields' transpose (positions as columns)
 * @param M - rows of C
 * @param N - columns of C (the positions with transB, else KH·KW·C)
 * @param K - the depth (KH·KW·C with transB, else the positions)
 * @param aOff - offset of A
 * @param lda - row stride of A
 * @param xOff - offset of the images [B, H, W, C] (image 0's first float)
 * @param b0 - first image of the fields
 * @param b1 - one past the last
 * @param H - input height
 * @param W - input width
 * @param C - channels
 * @param OH - output height
 * @param OW - output width
 * @param KH - window height
 * @param KW - window width
 * @param sh - vertical stride
 * @param sw - horizontal stride
 * @param top - padding rows above the input
 * @param left - padding columns left of the input
 * @param cOff - offset of C (not overlapping A or the images)
 * @param ldc - row stride of C
 * @returns whether the product was computed
 * @throws TypeError when the shapes do not fit the fields, a size is under 1, a range lies outside `heap`, or C
 * overlaps an input
 */
export declare function fieldsProduct(
  heap: Float32Array, transA: boolean, transB: boolean, M: number, N: number, K: number, aOff: number, lda: number,
  xOff: number, b0: number, b1: number,
  H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number,
  cOff: number, ldc: number,
): boolean;
/**
 * A convolution's input gradient for images [b0, b1): dx = the fold (col2im) of dy · Wᵀ, dy the NHWC gradient of its
 * output (OC channels), W its filter as a [KH·KW·C × OC] matrix; dx of those images is written whole. Each thread
 * takes whole images, an image's fields (dy · Wᵀ through the own GEMM) held in a buffer of its own and folded at once
 * rather than stored for the whole batch: the same bits as `sgemm` then `convFields(…, fold = true, …)`.
 * @param heap - the array holding dy, W and dx
 * @param dyOff - offset of dy's first image (dy is [B, OH, OW, OC])
 * @param wOff - offset of W
 * @param dxOff - offset of dx's first image (not overlapping dy or W)
 * @param OC - the convolution's output channels
 * @param b0 - first image
 * @param b1 - one past the last
 * @param H - input height
 * @param W - input width
 * @param C - input channels
 * @param OH - output height
 * @param OW - output width
 * @param KH - filter height
 * @param KW - filter width
 * @param sh - vertical stride
 * @param sw - horizontal stride
 * @param top - padding rows above the input
 * @param left - padding columns left of the input
 * @returns whether it computed dx: false, having done nothing, where OpenBLAS does the products, one image's fields
 *   pass 2^22 floats, or the threads would get fewer than 4 images each (then multiply and fold)
 * @throws TypeError when a size is under 1, a range lies outside `heap`, or dx overlaps an input
 */
export declare function foldProduct(
  heap: Float32Array, dyOff: number, wOff: number, dxOff: number, OC: number, b0: number, b1: number,
  H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number,
): boolean;
/**
 * C[M,N] = op(F)·B through the addon's own GEMM, where F is the receptive fields of images [b0, b1) of the NHWC tensor
 * at xOff — [positions × KH·KW·C], the rows {@link convFields} would unfold; op(F) is their transpose with `transA` —
 * gathered block by block from the images as the GEMM's packing of its left operand needs them, never stored whole,
 * and B is stored [K × N]: a narrow convolution's forward product (fields · filter) or its filter gradient
 * (fieldsᵀ · dy). The same bits as {@link sgemm} on the unfolded fields. Returns false, computing nothing, where the
 * own GEMM is not in use (OpenBLAS does the products, see {@link gemmKernel}): unfold the fields then.
 * @param heap - the array holding the images, B and C
 * @param transA - op(F) = the fields' transpose (positions as columns)
 * @param M - rows of C (KH·KW·C with transA, else the positions)
 * @param N - columns of C
 * @param K - the depth (the positions with transA, else KH·KW·C)
 * @param xOff - offset of the images [B, H, W, C] (image 0's first float)
 * @param b0 - first image of the fields
 * @param b1 - one past the last
 * @param H - input height
 * @param W - input width
 * @param C - channels
 * @param OH - output height
 * @param OW - output width
 * @param KH - window height
 * @param KW - window width
 * @param sh - vertical stride
 * @param sw - horizontal stride
 * @param top - padding rows above the input
 * @param left - padding columns left of the input
 * @param bOff - offset of B
 * @param ldb - row stride of B (at least N)
 * @param cOff - offset of C (not overlapping B or the images)
 * @param ldc - row stride of C (at least N)
 * @returns whether the product was computed
 * @throws TypeError when the shapes do not fit the fields, a size is under 1, a range lies outside `heap`, or C
 * overlaps an input
 */
export declare function leftFieldsProduct(
  heap: Float32Array, transA: boolean, M: number, N: number, K: number, xOff: number, b0: number, b1: number,
  H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sh: number, sw: number, top: number, left: number,
  bOff: number, ldb: number, cOff: number, ldc: number,
): boolean;
/**
 * Row sums of a row-major [rows, cols] matrix, out[i] = Σⱼ x[i·cols + j], each row added from its first element in
 * float32: bitwise tfjs-wasm's Sum over trailing axes.
 * @param heap - the array holding the input and the output
 * @param xOff - offset of the matrix
 * @param rows - rows (the product of the kept leading axes)
 * @param cols - columns (the product of the reduced trailing axes)
 * @param outOff - offset of the `rows` sums (not overlapping the matrix)
 * @throws TypeError when a range lies outside `heap` or the output overlaps the input
 */
export declare function rowSum(heap: Float32Array, xOff: number, rows: number, cols: number, outOff: number): void;
/**
 * `unary` and `fused` split a pass of 8,192 elements a thread or more (65,536 for op 6, the ReLU mask) over the
 * threads set by {@link setNumThreads}, but only where the addon's worker threads are awake (watching for work after
 * a recent parallel call, such as a product): waking a sleeping one costs more than such a pass. Each element is
 * computed alone, so the bits are those of one thread.
 * @returns how many `unary` and `fused` passes were split over threads since the addon loaded
 */
export declare function vecSplits(): number;
/** @returns OpenBLAS's thread count (from OPENBLAS_NUM_THREADS, or the cores) */
export declare function getNumThreads(): number;
/** @param n - threads OpenBLAS, the addon's own GEMM and its parallel loops may use */
export declare function setNumThreads(n: number): void;
/** @returns OpenBLAS's build configuration string (version, kernel, max threads) */
export declare function config(): string;
/** The kernels of sgemm's plain products: the addon's own (`avx512`, `avx2`) and OpenBLAS's. */
export type GemmKernelName = 'avx512' | 'avx2' | 'openblas';
/**
 * @returns the kernel of sgemm's plain products (alpha 1, beta 0): `avx512`, the addon's own (packed blocks, a
 * 10×32 register tile, split by columns over the threads set by {@link setNumThreads}; each element summed in the
 * same order on any thread count; the default where the addon was built for a CPU with AVX-512), `avx2` (its AVX2
 * and FMA kernel, a 6×16 tile, with the same order and so the same bits; chosen only by {@link setGemmKernel}), or
 * `openblas`
 */
export declare function gemmKernel(): GemmKernelName;
/**
 * Chooses the kernel of sgemm's plain products (those of one to four rows, neither operand transposed, take the own
 * kernel's few-row path whatever is chosen, where the addon has an own kernel: see {@link sgemm}).
 * @param name - `avx512` or `avx2` (each falls back to `openblas` in an addon built without it: the addon has the
 *   AVX-512 kernel where built for a CPU with AVX-512, else the AVX2 one where the CPU has AVX2 and FMA), or `openblas`
 * @returns the kernel now in use
 * @throws TypeError for any other name
 */
export declare function setGemmKernel(name: GemmKernelName): GemmKernelName;
/** Absolute path of the loaded addon. */
export declare const addonPath: string;

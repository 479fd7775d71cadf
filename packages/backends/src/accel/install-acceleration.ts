import * as tf from '@tensorflow/tfjs';
import { BackendError, setEmaInPlace, setNormalFill, setNormalTarget } from '@vib/core';
import { emaInPlaceStep } from './ema-in-place.js';
import { pureAdamUpdate } from './adam-update.js';
import { alignAllocations, stopAligningAllocations } from './aligned-allocations.js';
import { aliasCastOverride, aliasIdentityOverride } from './alias-identity.js';
import { oneHotFloatOverride } from './one-hot-dtype.js';
import { installMissingKernels, uninstallMissingKernels } from './missing-kernels.js';
import { segmentSumOverride } from './segment-sum.js';
import { maxPoolGradientOverride, type NativeMaxPoolGrad } from './max-pool-gradient.js';
import { maxPoolOverride, type NativeMaxPool } from './max-pool.js';
import { depthwiseFilterGradientOverride, depthwiseInputGradientOverride } from './depthwise-gradients.js';
import { convFilterGradientOverride, convForwardOverride, convInputGradientOverride } from './conv-products.js';
import { nativeFields, pureFields, type FieldKernelsOf } from './conv-fields.js';
import { clipNaNOverride, extremumNaNOverride } from './nan-propagating.js';
import { biasAddOverride } from './bias-add.js';
import { columnSumOverrides } from './column-sum.js';
import { installReluGradient, uninstallReluGradient } from './relu-gradient.js';
import { installReduceGradients, uninstallReduceGradients } from './reduce-gradients.js';
import { installFusedAdam, uninstallFusedAdam } from './fused-adam.js';
import { armKeptPackingCheck, dropAllPackings } from './packed-weights.js';
import { sparseCheck } from './sparse-product.js';
import { rowsCheck } from './pure-rows-matmul.js';
import { dropAllLists } from './listed-outputs.js';
import type { ElementwiseKernel } from './fused/fused-elementwise.js';
import type { EmaKernel } from './fused/fused-kernel-spec.js';
import { GEMM_KERNEL_LABELS, type GemmKernelName } from './native-blas-module.js';
import { FUSED_KERNEL_SPECS, chainsOrSimd, installFusedKernel } from './fused/install-fused.js';
import { installDenseKernel } from './dense-kernel.js';
import { heapNormalTarget } from './heap-normal-target.js';
import { installKernelOverride, uninstallAllOverrides, type OverrideHandle } from './install-override.js';
import type { KernelOverrideSpec } from './kernel-types.js';
import { loadNativeBlas } from './load-native-blas.js';
import { nativeMatMulOverride } from './native-matmul.js';
import { nativeNormalFill } from './native-normals.js';
import { pureFusedMatMulOverride } from './pure-fused-matmul.js';
import { pureMatMulOverride } from './pure-matmul.js';
import { simdKernels } from './simd-kernels.js';
import { wasmInternals } from './wasm-internals.js';
import { wasmFma } from './wasm-fma.js';
import { UNARY_OPS, unaryOverride, type UnaryKernel, type UnaryKernelName } from './unary-override.js';

/** Options for {@link installAcceleration}. */
export interface AccelerationOptions {
  /** Highest tier to install; default `native` (falls back to `pure` when the addon is absent). */
  readonly tier?: 'stock' | 'pure' | 'native';
  /** The native addon's threads (native tier). */
  readonly threads?: number;
  /** Replace tf.AdamOptimizer's update by a fused one while installed (default true). */
  readonly fuseAdam?: boolean;
  /** Where the one warning of a failed self-check goes. */
  readonly warn?: (message: string) => void;
}

/** What {@link installAcceleration} installed. */
export interface AccelerationReport {
  /** The tier installed: `stock` (no overrides), `pure` (JavaScript/wasm overrides) or `native` (pure plus OpenBLAS). */
  readonly tier: 'stock' | 'pure' | 'native';
  /** Why this tier. */
  readonly reason: string;
  /** Threads of the heavy kernels (the native addon's threads in the native tier; 1 for wasm without threads). */
  readonly threads: number;
  /** The installed overrides. */
  readonly overrides: readonly OverrideHandle[];
  /** Native tier: the draws its normal filler has taken so far (`@vib/core`'s `setNormalFill`), when installed. */
  readonly normalDraws?: { readonly draws: number };
}

const MATMULS = ['BatchMatMul', '_FusedMatMul'] as const;
const UNARY_KERNELS = Object.keys(UNARY_OPS) as UnaryKernelName[];
/** tfjs-wasm's own Sigmoid is already an XNNPACK SIMD kernel (≈ 2 ns/element here); the others are scalar libm. */
const PURE_UNARY_KERNELS = UNARY_KERNELS.filter((k) => k !== 'Sigmoid');
/** The pure tier's exp/log family: the SIMD module's kernels, where it instantiates. */
const pureUnaryKernel = (be: Parameters<typeof simdKernels>[0]): UnaryKernel | null => {
  const k = simdKernels(be);
  return k ? (op, i, o, n) => k.unary(op, i, o, n) : null;
};

/** The fused kernels installed now (registered under their own names, so not on the override stacks). */
let fused: OverrideHandle[] = [];
/** The wasm module whose allocations are aligned now. */
let alignedModule: object | null = null;

/** Register the fused VIB/VAE kernels of `@vib/core`'s FUSED_KERNELS with one tier's vectorized chains. */
function installFused(
  tier: 'pure' | 'native',
  elementwiseFor: (be: Parameters<typeof simdKernels>[0]) => ElementwiseKernel | null,
  warn: (m: string) => void,
  emaFor?: (be: Parameters<typeof simdKernels>[0]) => EmaKernel | null,
): OverrideHandle[] {
  for (const h of fused) h.uninstall();
  fused = [...FUSED_KERNEL_SPECS.map((spec) => installFusedKernel(spec, tier, elementwiseFor, warn, emaFor)), installDenseKernel(tier)];
  return fused;
}

/**
 * Install the kernel overrides of the requested tier on the wasm backend (removing any installed before).
 * The wasm backend must be registered and initialized (`await tf.setBackend('wasm')`).
 * @param options - tier, threads, warning sink
 * @returns the tier installed and why
 * @throws {@link BackendError} when the active backend is not wasm
 * @example
 * ```ts
 * await tf.setBackend('wasm');
 * const { tier, reason } = await installAcceleration();
 * ```
 */
export async function installAcceleration(options: AccelerationOptions = {}): Promise<AccelerationReport> {
  if (tf.getBackend() !== 'wasm') {
    throw new BackendError(`acceleration needs the wasm backend active, but the backend is "${tf.getBackend()}": call tf.setBackend('wasm') first`);
  }
  uninstallAcceleration();
  const want = options.tier ?? 'native';
  if (want === 'stock') return { tier: 'stock', reason: 'stock kernels requested', threads: 1, overrides: [] };
  const warn = options.warn ?? console.warn;
  const fuseAdam = options.fuseAdam ?? true;
  const be = wasmInternals(tf.backend());
  if (be && alignAllocations(be.wasm)) alignedModule = be.wasm;
  armKeptPackingCheck(warn);
  installReduceGradients();
  installReluGradient();
  sparseCheck.arm(warn);
  rowsCheck.arm(warn);
  installMissingKernels();
  const onWasm = (spec: KernelOverrideSpec): OverrideHandle[] => (tf.getKernel(spec.kernelName, 'wasm') ? [installKernelOverride(spec, warn)] : []);
  // convolutions forward and backward on a tier's field loops (unfold and fold), and max pools and their gradients
  const convolutions = (fields: FieldKernelsOf, tier: 'pure' | 'native'): OverrideHandle[] => [
    ...onWasm(convFilterGradientOverride('wasm', { fields, tier })),
    ...onWasm(convInputGradientOverride('wasm', { fields, tier })),
    ...onWasm(convForwardOverride('Conv2D', 'wasm', { fields, tier })),
    ...onWasm(convForwardOverride('FusedConv2D', 'wasm', { fields, tier })),
  ];
  const maxPools = (gradient?: NativeMaxPoolGrad, pool?: NativeMaxPool): OverrideHandle[] => [
    ...onWasm(maxPoolGradientOverride('wasm', gradient)),
    ...onWasm(maxPoolOverride('wasm', pool)),
  ];
  const pureConvolutions = convolutions(pureFields, 'pure');
  const pureMaxPools = maxPools();
  const overrides = [
    installKernelOverride(pureMatMulOverride('BatchMatMul', 'wasm'), warn),
    installKernelOverride(pureFusedMatMulOverride('wasm'), warn),
    installKernelOverride(aliasIdentityOverride('wasm'), warn),
    installKernelOverride(aliasCastOverride('wasm'), warn),
    installKernelOverride(oneHotFloatOverride('wasm'), warn),
    installKernelOverride(clipNaNOverride('wasm'), warn),
    installKernelOverride(biasAddOverride('wasm'), warn),
    installKernelOverride(extremumNaNOverride('Maximum', 'wasm'), warn),
    installKernelOverride(extremumNaNOverride('Minimum', 'wasm'), warn),
    ...onWasm(segmentSumOverride('wasm')),
    ...pureConvolutions,
    ...pureMaxPools,
    ...onWasm(depthwiseFilterGradientOverride('wasm')),
    ...onWasm(depthwiseInputGradientOverride('wasm')),
    ...PURE_UNARY_KERNELS.map((k) => installKernelOverride(unaryOverride(k, 'pure', pureUnaryKernel), warn)),
    ...columnSumOverrides((be) => {
      const k = simdKernels(be);
      return k && ((_, x, rows, cols, out) => k.colSum(x, rows, cols, out));
    }, 'pure').map((spec) => installKernelOverride(spec, warn)),
  ];
  if (fuseAdam) installFusedAdam(pureAdamUpdate, 'pure', warn);
  overrides.push(...installFused('pure', (be) => simdKernels(be)?.fused ?? null, warn));
  setEmaInPlace(emaInPlaceStep(() => null, 'pure', warn));
  // long normal draws (by whichever filler) written into the wasm heap, with no array of the draw's size between
  setNormalTarget(heapNormalTarget);
  const matmuls = be && simdKernels(be)
    ? "matmuls on the SIMD module's GEMM (transposes folded into its packing, weights' packings kept between calls, a sparse form for left operands with many zeros, fused products with kept weights by rows), bias/ReLU epilogue, biases added to tensors and column sums in SIMD"
    : 'transposed matmuls run as heap transpose + plain wasm matmul';
  const products = be && simdKernels(be) ? ` (${wasmFma().reason})` : '';
  const pureReason = `pure tier: ${matmuls}${products}${alignedModule ? ', tensors of 1 KB or more on 64-byte boundaries' : ''}, fused bias/activation via wasm kernels, copy-free Identity and same-dtype Cast, casts to bool, float32 one-hots, and NaN through clips, maxima and minima as tfjs's cpu backend gives them (tfjs-wasm's are wrong), convolutions and both their gradients as products on receptive fields unfolded and folded in SIMD (wide fields' products transposed), max pools with cpu's numbers (tfjs-wasm's lose NaN and −0) and their gradients, in SIMD (the gradients for windows apart), and the kernels tfjs-wasm lacks (gather's gradient as a segment sum, depthwise convolutions' gradients in one pass each, einsum on tfjs's cpu kernel), SIMD column sums and means, SIMD exp/log/log1p/softplus/tanh, fused KL/sample/cross-entropy/Bernoulli/ReLU-mask/softplus-scale/classification-score kernels, dense layers as one tape node, Sum/Mean gradients with ones from Fill, ReLU gradients in one pass${fuseAdam ? ', fused JS Adam' : ''}, in-place weight EMA, normal draws written straight into the wasm heap`;
  if (want === 'pure') return { tier: 'pure', reason: `${pureReason} (pure requested)`, threads: 1, overrides };
  const native = await loadNativeBlas(options.threads);
  if (!native.ok) return { tier: 'pure', reason: `${pureReason}; native tier unavailable: ${native.reason}`, threads: 1, overrides };
  for (const k of MATMULS) overrides.push(installKernelOverride(nativeMatMulOverride(k, native.blas), warn));
  const colSum = native.blas.colSum?.bind(native.blas);
  const rowSum = native.blas.rowSum?.bind(native.blas);
  if (colSum) {
    const rowSums = rowSum ? () => (be: Parameters<typeof simdKernels>[0], x: number, rows: number, cols: number, out: number) => rowSum(be.wasm.HEAPF32, x, rows, cols, out) : () => null;
    const sums = columnSumOverrides(() => (be, x, rows, cols, out) => colSum(be.wasm.HEAPF32, x, rows, cols, out), 'native', rowSums);
    overrides.push(...sums.map((spec) => installKernelOverride(spec, warn)));
  }
  if (fuseAdam) installFusedAdam(native.blas.adam, 'native', warn);
  const unary = native.blas.unary?.bind(native.blas);
  if (unary) {
    const nativeUnary = (be: Parameters<typeof simdKernels>[0]): UnaryKernel => (op, i, o, n) => void unary(be.wasm.HEAPF32, op, i, o, n);
    for (const k of UNARY_KERNELS) {
      overrides.push(installKernelOverride(unaryOverride(k, 'native', nativeUnary), warn));
    }
  }
  const chains = native.blas.fused?.bind(native.blas);
  if (chains) {
    const pureHandles = new Set(fused);
    const nativeChains = (be: Parameters<typeof simdKernels>[0]): ElementwiseKernel => chainsOrSimd(be, (op, a, b, c, o, n) => chains(be.wasm.HEAPF32, op, a, b, c, o, n));
    const ema = native.blas.ema?.bind(native.blas);
    const nativeEma = ema ? (be: Parameters<typeof simdKernels>[0]): EmaKernel => (a, v, o, n, decay) => ema(be.wasm.HEAPF32, a, v, o, n, Math.fround(decay), Math.fround(1 - decay)) : undefined;
    overrides.splice(0, overrides.length, ...overrides.filter((h) => !pureHandles.has(h)), ...installFused('native', nativeChains, warn, nativeEma));
    if (nativeEma) setEmaInPlace(emaInPlaceStep(nativeEma, 'native', warn));
  }
  // convolutions' field loops and max pools and their gradients in C++ over the addon's threads, in place of the pure tier's
  const replace = (pure: OverrideHandle[], native: () => OverrideHandle[]): void => {
    for (const h of [...pure].reverse()) h.uninstall();
    overrides.splice(0, overrides.length, ...overrides.filter((h) => !pure.includes(h)), ...native());
  };
  const convFields = native.blas.convFields?.bind(native.blas);
  const maxPoolGrad = native.blas.maxPoolGrad?.bind(native.blas);
  const maxPool = native.blas.maxPool?.bind(native.blas);
  const fieldsProduct = native.blas.fieldsProduct?.bind(native.blas);
  const foldProduct = native.blas.foldProduct?.bind(native.blas);
  const leftFieldsProduct = native.blas.leftFieldsProduct?.bind(native.blas);
  if (convFields) replace(pureConvolutions, () => convolutions(nativeFields(convFields, fieldsProduct, foldProduct, leftFieldsProduct), 'native'));
  if (maxPoolGrad || maxPool) replace(pureMaxPools, () => maxPools(maxPoolGrad, maxPool));
  const normals = nativeNormalFill(native.blas, warn);
  if (normals) setNormalFill(normals.fill);
  const threads = native.blas.getNumThreads();
  const threaded = threads > 1 && (fuseAdam || native.blas.ema) ? ` (threaded over ${threads} cores for long weight arrays)` : '';
  return { tier: 'native', reason: `native tier: ${ownGemmText(native.blas.gemmKernel?.())} on the wasm heap${alignedModule ? ' (tensors of 1 KB or more on 64-byte boundaries)' : ''}${colSum ? `, vectorized column${rowSum ? ' and row' : ''} sums and means` : ''}${unary ? ', vectorized exp/log/log1p/softplus/tanh/sigmoid' : ''}, fused KL/sample/cross-entropy/Bernoulli/ReLU-mask/softplus-scale/classification-score kernels${chains ? ' (C++ chains)' : ' (SIMD chains)'}, dense layers as one tape node, Sum/Mean gradients with ones from Fill, ReLU gradients in one pass${fuseAdam ? ', native fused Adam' : ''}${native.blas.ema ? ', native in-place EMA' : ''}${convFields ? `, convolutions' receptive fields unfolded and folded in C++${fieldsProduct ? ` (${leftFieldsProduct ? 'gathered' : 'wide ones gathered'} inside the own GEMM for the forward product and the filter gradient)` : ''}${foldProduct ? ', input gradients folded image by image as their products come' : ''}` : ''}${maxPool ? ', max pools in C++' : ''}${maxPoolGrad ? ", max pools' gradients in C++" : ''}${threaded}${normals ? ', native normal draws (lanes of the stream interleaved) written straight into the wasm heap' : ''}; ${native.note}`, threads, overrides, ...(normals ? { normalDraws: normals.stats } : {}) };
}

/** How the native tier's reason names the kernel of its products. */
const ownGemmText = (kernel: GemmKernelName = 'openblas'): string => (kernel === 'openblas' ? 'OpenBLAS sgemm' : `its own ${GEMM_KERNEL_LABELS[kernel]} GEMM`);

/** Remove every override, restoring the stock kernels. */
export function uninstallAcceleration(): void {
  if (alignedModule) stopAligningAllocations(alignedModule);
  alignedModule = null;
  for (const h of fused) h.uninstall();
  fused = [];
  uninstallAllOverrides();
  uninstallMissingKernels();
  uninstallFusedAdam();
  setEmaInPlace(null);
  setNormalFill(null);
  setNormalTarget(null);
  dropAllPackings();
  dropAllLists();
  uninstallReduceGradients();
  uninstallReluGradient();
}

import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { CheckInput } from '../kernel-types.js';
import type { SimdKernels } from '../simd-kernels.js';
import type { ElementwiseKernel } from './fused-elementwise.js';
import type { WasmBackendInternals } from '../wasm-internals.js';
import type { StockOps } from './composition.js';

/** Heap access for a fused kernel: input offsets and the tier's vectorized elementwise chains. */
export interface FusedContext {
  readonly be: WasmBackendInternals;
  /** The tier's vectorized chains (`FUSED_ELEMENTWISE` numbers): the SIMD module's, or the addon's C++. */
  readonly elementwise: ElementwiseKernel;
  /** Float offset of an input in the heap. */
  offset(name: string): number;
  /** The SIMD module's kernels on this heap, or null where wasm SIMD is missing. */
  readonly simd: SimdKernels | null;
  /** The tier's own EMA step (the native addon's, threaded), or null: then the SIMD module's or a JS loop. */
  readonly ema: EmaKernel | null;
}

/**
 * out = decay·average + (1 − decay)·value on the heap, rounded as the stock kernels round it.
 * @param aOff - offset of the average, in float elements
 * @param vOff - offset of the value
 * @param outOff - offset of the output
 * @param n - number of elements
 * @param decay - the decay
 */
export type EmaKernel = (aOff: number, vOff: number, outOff: number, n: number, decay: number) => void;

/** One fused elementwise kernel of `@vib/core`'s `FUSED_KERNELS`: the fast heap version and its stock composition. */
export interface FusedKernelSpec {
  /** Kernel name, e.g. `VibStdNormalKL`. */
  readonly kernelName: string;
  /** Input names in the order the check case lists them. */
  readonly inputNames: readonly string[];
  /**
   * The fused kernel on the wasm heap.
   * @param ctx - heap access
   * @param inputs - the inputs (float32, shapes already validated by the op)
   * @param attrs - the call's attributes (e.g. `decay`)
   * @returns the output tensor, allocated with `ctx.be.makeOutput`
   */
  fast(ctx: FusedContext, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo;
  /**
   * The unfused composition of stock kernels (the reference of the self-check, and the fallback).
   * @param ops - stock kernels of one backend
   * @param inputs - the inputs on that backend
   * @param attrs - the call's attributes
   * @returns the output (intermediates are freed by the caller)
   */
  composition(ops: StockOps, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo;
  /**
   * A small self-check case of an odd shape.
   * @param random - uniform [−1, 1) generator
   * @returns inputs by name
   */
  checkCase(random: () => number): Record<string, CheckInput>;
  /** Attributes of the self-check case (none by default). */
  readonly checkAttrs?: NamedAttrMap;
}

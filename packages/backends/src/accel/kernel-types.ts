import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/** The argument every TensorFlow.js kernel function receives. */
export interface KernelArgs {
  /** The kernel's input tensors by input name (e.g. `a`, `b`, `bias` for `_FusedMatMul`); optional inputs may be null or absent. */
  readonly inputs: Record<string, TensorInfo | null | undefined>;
  /** The backend instance running the kernel; owns the inputs' data. */
  readonly backend: KernelBackend;
  /** The kernel's attributes (e.g. `transposeA`, `activation`). */
  readonly attrs: NamedAttrMap;
}

/** A kernel function with a single tensor output (every override here has one). */
export type SingleKernelFunc = (args: KernelArgs) => TensorInfo;

/** A small random input for a self-check: shape and values, float32. */
export interface CheckInput {
  /** The input's shape, e.g. [1, 5, 3] for a small batched matrix. */
  readonly shape: number[];
  /** The elements, row-major; length is the product of `shape`. */
  readonly values: Float32Array;
}

/** A self-check case: inputs by kernel input name, and attrs. */
export interface CheckCase {
  /** The inputs by the kernel's input names, run through both the fast and the stock kernel. */
  readonly inputs: Record<string, CheckInput>;
  /** The attributes of the call, the same variant as the call being checked. */
  readonly attrs: NamedAttrMap;
}

/** Absolute and relative tolerance: |fast − stock| ≤ atol + rtol·|stock|, elementwise. */
export interface Tolerance {
  /** Absolute tolerance, in the kernel output's own units. */
  readonly atol: number;
  /** Relative tolerance, a fraction of |stock|. */
  readonly rtol: number;
}

/**
 * A kernel override: a faster implementation of one TensorFlow.js kernel on one backend.
 * `run` returns null to hand the call to the kernel below it (the stock kernel, or a lower tier).
 */
export interface KernelOverrideSpec {
  /** TensorFlow.js kernel name, e.g. `BatchMatMul`. */
  readonly kernelName: string;
  /** Backend name, e.g. `wasm`. */
  readonly backendName: string;
  /** Tier label for reports. */
  readonly tier: 'pure' | 'native';
  /**
   * The fast kernel.
   * @param args - kernel inputs, backend, attrs
   * @param below - the kernel registered before this override
   * @returns the output, or null to delegate to `below`
   */
  run(args: KernelArgs, below: SingleKernelFunc): TensorInfo | null;
  /**
   * Key of the attribute variant of a call (e.g. transposes, activation), so each variant is checked once.
   * @param args - the call
   * @returns a string key
   */
  variantKey(args: KernelArgs): string;
  /**
   * A small random case of the same variant as `args`, for the first-use self-check.
   * @param args - the call being made
   * @param random - uniform [−1, 1) generator
   * @returns the case, or null when this variant is not handled (then no check is needed)
   */
  checkCase(args: KernelArgs, random: () => number): CheckCase | null;
  /** Tolerance of the self-check. */
  readonly tolerance: Tolerance;
}

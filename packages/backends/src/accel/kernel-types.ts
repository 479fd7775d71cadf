import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/** The argument every TensorFlow.js kernel function receives. */
export interface KernelArgs {
  readonly inputs: Record<string, TensorInfo | null | undefined>;
  readonly backend: KernelBackend;
  readonly attrs: NamedAttrMap;
}

/** A kernel function with a single tensor output (every override here has one). */
export type SingleKernelFunc = (args: KernelArgs) => TensorInfo;

/** A small random input for a self-check: shape and values, float32. */
export interface CheckInput {
  readonly shape: number[];
  readonly values: Float32Array;
}

/** A self-check case: inputs by kernel input name, and attrs. */
export interface CheckCase {
  readonly inputs: Record<string, CheckInput>;
  readonly attrs: NamedAttrMap;
}

/** Absolute and relative tolerance: |fast − stock| ≤ atol + rtol·|stock|, elementwise. */
export interface Tolerance {
  readonly atol: number;
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

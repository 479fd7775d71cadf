import type { DataId, KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import type { CheckCase, KernelArgs, SingleKernelFunc, Tolerance } from './kernel-types.js';

/** Outcome of comparing an override with the stock kernel on one case. */
export interface SelfCheckResult {
  readonly ok: boolean;
  /** Largest |fast − stock| seen. */
  readonly maxAbsError: number;
  /** What went wrong, when not ok. */
  readonly detail: string;
}

/**
 * Run `fast` and `stock` on one small case on `backend` and compare elementwise.
 * Everything written to the backend is disposed before returning.
 * @param backend - the backend both kernels run on
 * @param testCase - inputs and attrs
 * @param fast - the override (its `below` already bound)
 * @param stock - the original kernel
 * @param tolerance - |fast − stock| ≤ atol + rtol·|stock|
 * @returns whether they agree, and the largest error
 */
export function selfCheck(
  backend: KernelBackend,
  testCase: CheckCase,
  fast: (args: KernelArgs) => TensorInfo | null,
  stock: SingleKernelFunc,
  tolerance: Tolerance,
): SelfCheckResult {
  const written: DataId[] = [];
  const inputs: Record<string, TensorInfo> = {};
  for (const [name, input] of Object.entries(testCase.inputs)) {
    const dataId = backend.write(input.values, input.shape, 'float32');
    written.push(dataId);
    inputs[name] = { dataId, shape: input.shape, dtype: 'float32' };
  }
  const args: KernelArgs = { inputs, backend, attrs: testCase.attrs };
  try {
    const want = stock(args);
    written.push(want.dataId);
    const got = fast(args);
    if (got === null) return { ok: true, maxAbsError: 0, detail: 'delegated to the stock kernel' };
    written.push(got.dataId);
    if (got.shape.join(',') !== want.shape.join(',')) {
      return { ok: false, maxAbsError: Infinity, detail: `shape [${got.shape}] instead of [${want.shape}]` };
    }
    const a = backend.readSync(got.dataId) as Float32Array;
    const b = backend.readSync(want.dataId) as Float32Array;
    let maxAbsError = 0;
    let worst = -1;
    for (let i = 0; i < b.length; i++) {
      const err = Math.abs((a[i] ?? NaN) - (b[i] ?? NaN));
      const ok = err <= tolerance.atol + tolerance.rtol * Math.abs(b[i] ?? 0);
      if (!(err <= maxAbsError)) maxAbsError = Number.isNaN(err) ? Infinity : err;
      if (!ok && worst < 0) worst = i;
    }
    if (worst >= 0) {
      return {
        ok: false,
        maxAbsError,
        detail: `element ${worst}: ${a[worst]} vs stock ${b[worst]} (max |error| ${maxAbsError.toExponential(2)} > atol ${tolerance.atol} + rtol ${tolerance.rtol}·|stock|)`,
      };
    }
    return { ok: true, maxAbsError, detail: `max |error| ${maxAbsError.toExponential(2)}` };
  } catch (error) {
    return { ok: false, maxAbsError: Infinity, detail: `threw ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    for (const id of written) backend.disposeData(id, true);
  }
}

/**
 * A small deterministic uniform [−1, 1) generator (mulberry32), so self-checks are reproducible.
 * @param seed - 32-bit seed
 * @returns the generator
 */
export function uniformGenerator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

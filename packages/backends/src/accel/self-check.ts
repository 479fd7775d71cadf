import * as tf from '@tensorflow/tfjs';
import type { DataId, KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { mulberry32 } from '@vib/core';
import type { CheckCase, KernelArgs, SingleKernelFunc, Tolerance } from './kernel-types.js';

/** Outcome of comparing an override with the stock kernel on one case. */
export interface SelfCheckResult {
  readonly ok: boolean;
  /** Largest |fast − stock| seen. */
  readonly maxAbsError: number;
  /** What went wrong, when not ok. */
  readonly detail: string;
}

/** The stock kernel a self-check compares with, and the backend it runs on. */
export interface Reference {
  readonly backend: KernelBackend;
  readonly kernel: SingleKernelFunc;
}

/**
 * TensorFlow.js's cpu kernel of a name and the cpu backend it runs on (initialized if it was not), where both are
 * registered: the reference of the overrides' first-use checks, and the kernels the wasm tiers run on copies.
 * @param kernelName - the kernel, e.g. `BatchMatMul`
 * @returns the cpu kernel and backend, or null
 */
export function cpuKernelOf(kernelName: string): Reference | null {
  const config = tf.getKernel(kernelName, 'cpu');
  const cpu = config && tf.engine().backendNames().includes('cpu') ? tf.findBackend('cpu') : null;
  return cpu && config ? { backend: cpu, kernel: config.kernelFunc as unknown as SingleKernelFunc } : null;
}

/**
 * Run `fast` (on `backend`) and the stock `reference` kernel on one small case and compare elementwise.
 * Everything written to either backend is disposed before returning.
 * @param backend - the backend the override runs on
 * @param testCase - inputs and attrs
 * @param fast - the override (its `below` already bound)
 * @param reference - the stock kernel to compare with (tfjs's cpu kernel where available)
 * @param tolerance - |fast − stock| ≤ atol + rtol·|stock|
 * @returns whether they agree, and the largest error
 */
export function selfCheck(
  backend: KernelBackend,
  testCase: CheckCase,
  fast: (args: KernelArgs) => TensorInfo | null,
  reference: Reference,
  tolerance: Tolerance,
): SelfCheckResult {
  const written: [KernelBackend, DataId][] = [];
  const write = (be: KernelBackend): KernelArgs => {
    const inputs: Record<string, TensorInfo> = {};
    for (const [name, input] of Object.entries(testCase.inputs)) {
      const dataId = be.write(input.values.slice(), input.shape, 'float32');
      written.push([be, dataId]);
      inputs[name] = { dataId, shape: input.shape, dtype: 'float32' };
    }
    return { inputs, backend: be, attrs: testCase.attrs };
  };
  try {
    const refArgs = write(reference.backend);
    const want = reference.kernel(refArgs);
    written.push([reference.backend, want.dataId]);
    const got = fast(write(backend));
    if (got === null) return { ok: true, maxAbsError: 0, detail: 'delegated to the stock kernel' };
    written.push([backend, got.dataId]);
    if (got.shape.join(',') !== want.shape.join(',')) {
      return { ok: false, maxAbsError: Infinity, detail: `shape [${got.shape}] instead of [${want.shape}]` };
    }
    const a = backend.readSync(got.dataId) as Float32Array;
    const b = reference.backend.readSync(want.dataId) as Float32Array;
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
    for (const [be, id] of written) be.disposeData(id, true);
  }
}

/**
 * A small deterministic uniform [−1, 1) generator (core's seeded Mulberry32), so self-checks are reproducible.
 * @param seed - 32-bit seed
 * @returns the generator
 */
export function uniformGenerator(seed: number): () => number {
  const rand = mulberry32(seed);
  return () => rand() * 2 - 1;
}

import * as tf from '@tensorflow/tfjs';
import type { DataId, KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { SingleKernelFunc } from '../kernel-types.js';

/** Stock kernels of one backend, called directly (no engine, no tape), for the unfused compositions. */
export interface StockOps {
  readonly backend: KernelBackend;
  /** Run the backend's registered kernel `name`; the result is tracked and freed by {@link StockOps.free} unless kept. */
  run(name: string, inputs: Record<string, TensorInfo>, attrs?: NamedAttrMap): TensorInfo;
  /** A float32 scalar on the backend (freed by {@link StockOps.free}). */
  scalar(value: number): TensorInfo;
  /** Free every intermediate except `keep`. */
  free(keep: TensorInfo): void;
}

/**
 * Stock kernel calls on `backend` (the registered kernels of `backendName`: on cpu, tfjs's reference kernels).
 * @param backend - the backend instance
 * @param backendName - its registered name
 * @returns the ops
 * @throws Error when a kernel the composition needs is not registered there
 */
export function stockOps(backend: KernelBackend, backendName: string): StockOps {
  const made: DataId[] = [];
  const track = (t: TensorInfo): TensorInfo => (made.push(t.dataId), t);
  return {
    backend,
    run(name, inputs, attrs = {}) {
      const config = tf.getKernel(name, backendName);
      if (!config) throw new Error(`no ${name} kernel on backend "${backendName}"`);
      return track((config.kernelFunc as unknown as SingleKernelFunc)({ inputs, backend, attrs }));
    },
    scalar: (value) => track({ dataId: backend.write(Float32Array.of(value), [], 'float32'), shape: [], dtype: 'float32' }),
    free(keep) {
      for (const id of made) if (id !== keep.dataId) backend.disposeData(id, true);
      made.length = 0;
    },
  };
}

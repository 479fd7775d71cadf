import * as tf from '@tensorflow/tfjs';
import type { DataId, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs } from './kernel-types.js';
import { cpuKernelOf } from './self-check.js';

/**
 * Kernels that tfjs's cpu backend has and tfjs-backend-wasm 4.22 lacks, which the wasm tiers supply. Without them,
 * training a model with a convolution (the filter's gradient, `Conv2DBackpropFilter`), a depthwise convolution (both
 * of its gradients) or an embedding lookup (`tf.gather`'s gradient is `UnsortedSegmentSum`) stops on wasm with
 * "Kernel '…' not registered for backend 'wasm'", and `tf.einsum` does not run at all.
 */
export const MISSING_ON_WASM = [
  'Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'UnsortedSegmentSum', 'Einsum',
] as const;

/** A kernel's inputs as tfjs passes them: by name, or (Einsum) as an array. */
type KernelInputs = Record<string, TensorInfo | null | undefined> | (TensorInfo | null | undefined)[];

/** The kernel functions registered here, so that only those are removed. */
const registered = new Map<string, KernelFunc>();

/**
 * A wasm kernel that computes with tfjs's cpu kernel of the same name: the inputs copied from the wasm heap to the
 * cpu backend, the cpu kernel run, its outputs copied back. What the cpu backend gives, at the cost of two copies; the
 * kernel below a tier's own faster override (which hands it the variants it does not cover, and every call once its
 * first-use check has failed), and the whole kernel where there is no faster one.
 * @param kernelName - the kernel, e.g. `DepthwiseConv2dNativeBackpropFilter`
 * @returns the kernel function
 */
export function onCpuKernel(kernelName: string): (args: KernelArgs) => TensorInfo | TensorInfo[] {
  return (args) => {
    const reference = cpuKernelOf(kernelName);
    if (!reference) {
      throw new Error(
        `tfjs-backend-wasm has no ${kernelName} kernel and @vib/backends computes it with tfjs's cpu kernel, but the cpu backend is not registered: ` +
          `import '@tensorflow/tfjs' (which registers it), or run this model on the cpu backend`,
      );
    }
    const cpu = reference.backend;
    const written: DataId[] = [];
    const copy = (t: TensorInfo | null | undefined): TensorInfo | null | undefined => {
      if (!t) return t;
      const dataId = cpu.write(args.backend.readSync(t.dataId) as Float32Array, t.shape, t.dtype);
      written.push(dataId);
      return { dataId, shape: t.shape, dtype: t.dtype };
    };
    const given = args.inputs as KernelInputs;
    const inputs = Array.isArray(given) ? given.map(copy) : Object.fromEntries(Object.entries(given).map(([name, t]) => [name, copy(t)]));
    try {
      const out = (reference.kernel as (a: unknown) => TensorInfo | TensorInfo[])({ inputs, backend: cpu, attrs: args.attrs });
      const back = (o: TensorInfo): TensorInfo => {
        written.push(o.dataId);
        return { dataId: args.backend.write(cpu.readSync(o.dataId) as Float32Array, o.shape, o.dtype), shape: o.shape, dtype: o.dtype };
      };
      return Array.isArray(out) ? out.map(back) : back(out);
    } finally {
      for (const id of written) cpu.disposeData(id, true);
    }
  };
}

/**
 * Register, on the wasm backend, each of {@link MISSING_ON_WASM} that it lacks and tfjs's cpu backend has, as
 * {@link onCpuKernel}: the base the tiers' faster overrides go on. A kernel the wasm backend has (a later tfjs-wasm)
 * is left as it is.
 * @returns the names registered
 */
export function installMissingKernels(): string[] {
  const names: string[] = [];
  for (const kernelName of MISSING_ON_WASM) {
    if (tf.getKernel(kernelName, 'wasm') !== undefined || tf.getKernel(kernelName, 'cpu') === undefined) continue;
    const kernelFunc = onCpuKernel(kernelName) as unknown as KernelFunc;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    registered.set(kernelName, kernelFunc);
    names.push(kernelName);
  }
  return names;
}

/** Remove the kernels {@link installMissingKernels} registered (after the overrides on them are gone). */
export function uninstallMissingKernels(): void {
  for (const [kernelName, kernelFunc] of registered) {
    if (tf.getKernel(kernelName, 'wasm')?.kernelFunc === kernelFunc) tf.unregisterKernel(kernelName, 'wasm');
  }
  registered.clear();
}

import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS } from '@vib/core';
import { ElementwiseProgram, f32Uniforms, type WebGpuBackendLike } from './webgpu-programs.js';

/** An element-wise fused kernel of @vib/core on webgpu: its inputs (same shape) and its value in WGSL. */
interface FusedSpec {
  readonly kernelName: string;
  /** The kernel's input names, read in WGSL as `a`, `b`, `c` in this order. */
  readonly inputs: readonly string[];
  /** The value, in the stock composition's operations and order (as @vib/core's fallback computes it). */
  readonly value: string;
  /** Uniform fields and their values from the attributes. */
  readonly uniforms?: { readonly fields: string; values(attrs: tf.NamedAttrMap): number[] };
}

/**
 * The element-wise ones of @vib/core's {@link FUSED_KERNELS}, one program each instead of 3–6 stock kernels.
 * (The softmax cross-entropy and Bernoulli losses reduce over rows and keep the stock composition.)
 */
const SPECS: readonly FusedSpec[] = [
  { kernelName: FUSED_KERNELS.stdNormalKL, inputs: ['mu', 'logVar'], value: '((b + 1.0) - (a * a + exp(b))) * -0.5' },
  { kernelName: FUSED_KERNELS.stdNormalKLGrad, inputs: ['dy', 'logVar'], value: '(a * (exp(b) - 1.0)) * 0.5' },
  { kernelName: FUSED_KERNELS.reparameterize, inputs: ['mu', 'logVar', 'eps'], value: 'a + exp(b * 0.5) * c' },
  { kernelName: FUSED_KERNELS.reparameterizeGrad, inputs: ['dy', 'logVar', 'eps'], value: '((a * c) * exp(b * 0.5)) * 0.5' },
  {
    kernelName: FUSED_KERNELS.emaUpdate,
    inputs: ['average', 'value'],
    value: 'a * uniforms.decay + b * uniforms.oneMinusDecay',
    uniforms: { fields: 'decay : f32, oneMinusDecay : f32,', values: (attrs) => [Number(attrs['decay']), 1 - Number(attrs['decay'])] },
  },
];
const LETTERS = ['a', 'b', 'c'];

/** Names of the kernels {@link registerWebGpuFusedKernels} registers. */
export const WEBGPU_FUSED_KERNELS: readonly string[] = SPECS.map((s) => s.kernelName);

/**
 * Register the element-wise fused kernels of @vib/core (KL per dimension, the reparameterized sample, their
 * gradients, the EMA step) for the webgpu backend: one program each, where the stock composition dispatches
 * 3–6 kernels. On tfjs-webgpu a training step is bound by the host's work per dispatch. Idempotent.
 */
export function registerWebGpuFusedKernels(): void {
  for (const spec of SPECS) {
    if (tf.getKernel(spec.kernelName, 'webgpu') !== undefined) continue;
    const names = spec.inputs.map((_, i) => `X${i}`);
    const reads = names.map((n, i) => `let ${LETTERS[i]} = ${n}[index];`).join(' ');
    tf.registerKernel({
      kernelName: spec.kernelName,
      backendName: 'webgpu',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const ins = spec.inputs.map((n) => inputs[n] as tf.TensorInfo);
        const program = new ElementwiseProgram(`vibFused_${spec.kernelName}`, names, `${reads}\n          setOutputAtIndex(index, ${spec.value});`, (ins[0] as tf.TensorInfo).shape, spec.uniforms?.fields);
        return (backend as unknown as WebGpuBackendLike).runWebGPUProgram(program, ins, 'float32', spec.uniforms ? f32Uniforms(spec.uniforms.values(attrs ?? {})) : undefined);
      },
    });
  }
}

/** Remove the kernels {@link registerWebGpuFusedKernels} registered: @vib/core's ops then use the stock composition. */
export function unregisterWebGpuFusedKernels(): void {
  for (const name of WEBGPU_FUSED_KERNELS) if (tf.getKernel(name, 'webgpu') !== undefined) tf.unregisterKernel(name, 'webgpu');
}

import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { OverrideHandle } from '../install-override.js';
import type { KernelArgs, Tolerance } from '../kernel-types.js';
import { selfCheck, uniformGenerator, type Reference } from '../self-check.js';
import { simdKernels } from '../simd-kernels.js';
import { emaUpdateKernel } from './ema-kernel.js';
import { heapOffset, wasmInternals, type WasmBackendInternals } from '../wasm-internals.js';
import { stockOps } from './composition.js';
import { scalarElementwise, type ElementwiseKernel } from './fused-elementwise.js';
import type { EmaKernel, FusedKernelSpec } from './fused-kernel-spec.js';
import { reluGradKernel } from './activation-kernels.js';
import {
  reparameterizeGradKernel, reparameterizeKernel, softplusLogVarGradKernel, softplusLogVarKernel, stdNormalKLGradKernel, stdNormalKLKernel,
} from './gaussian-kernels.js';
import { bernoulliNllGradKernel, bernoulliNllKernel, softmaxCrossEntropyGradKernel, softmaxCrossEntropyKernel } from './likelihood-kernels.js';
import { classificationScoresKernel } from './score-kernels.js';

/** Every fused kernel, forward and gradient. */
export const FUSED_KERNEL_SPECS: readonly FusedKernelSpec[] = [
  stdNormalKLKernel, stdNormalKLGradKernel, reparameterizeKernel, reparameterizeGradKernel,
  softmaxCrossEntropyKernel, softmaxCrossEntropyGradKernel, bernoulliNllKernel, bernoulliNllGradKernel, emaUpdateKernel, reluGradKernel,
  softplusLogVarKernel, softplusLogVarGradKernel, classificationScoresKernel,
];

/**
 * Self-check tolerance of the fused kernels against the unfused cpu composition: the vectorized exp/log/softplus/sigmoid
 * are within 4e-7 relative, and the chains round once where the composition rounds every step to float32.
 */
export const FUSED_TOLERANCE: Tolerance = { atol: 2e-6, rtol: 1e-5 };

/** Scalar JavaScript chains, where the tier has no vectorized ones (no wasm SIMD). */
const scalarKernel = (be: WasmBackendInternals): ElementwiseKernel => (op, a, b, c, o, n) => scalarElementwise(be.wasm.HEAPF32, op, 0, n, [a, b, c, o]);

/**
 * The native addon's chains, with the SIMD module's (or, without wasm SIMD, scalar JavaScript) for a chain the addon
 * declines: an addon older than `@vib/backends` returns false for a chain number it does not have.
 * @param be - the wasm backend
 * @param chains - the addon's chains on this heap: true when it computed `op`
 * @returns the tier's chains
 */
export function chainsOrSimd(be: WasmBackendInternals, chains: (op: number, aOff: number, bOff: number, cOff: number, outOff: number, n: number) => boolean): ElementwiseKernel {
  return (op, a, b, c, o, n) => {
    if (!chains(op, a, b, c, o, n)) (simdKernels(be)?.fused ?? scalarKernel(be))(op, a, b, c, o, n);
  };
}

/** The reference of a self-check: the composition on tfjs's cpu backend (its reference kernels). */
function cpuReference(spec: FusedKernelSpec, fallback: tf.KernelBackend): Reference {
  const onCpu = tf.engine().backendNames().includes('cpu') && tf.getKernel('Exp', 'cpu') !== undefined;
  const backend = onCpu ? tf.findBackend('cpu') : fallback;
  const name = onCpu ? 'cpu' : 'wasm';
  return {
    backend,
    kernel: (args) => {
      const ops = stockOps(backend, name);
      const out = spec.composition(ops, args.inputs as Record<string, TensorInfo>, args.attrs);
      ops.free(out);
      return out;
    },
  };
}

/**
 * Register one fused kernel on the wasm backend. At its first call it runs a small odd-shaped case through itself
 * and through the unfused composition on tfjs's cpu backend; on disagreement it warns once and computes every
 * later call with the composition of the wasm backend's own kernels.
 * @param spec - the kernel
 * @param tier - tier label
 * @param elementwiseFor - the tier's vectorized chains on a backend, or null (then scalar JavaScript loops)
 * @param warn - where the one warning goes
 * @param emaFor - the tier's own EMA step on a backend, or null (then the SIMD module's, or a JS loop)
 * @returns a handle (uninstall unregisters the kernel)
 */
export function installFusedKernel(
  spec: FusedKernelSpec,
  tier: 'pure' | 'native',
  elementwiseFor: (be: WasmBackendInternals) => ElementwiseKernel | null,
  warn: (message: string) => void,
  emaFor: (be: WasmBackendInternals) => EmaKernel | null = () => null,
): OverrideHandle {
  let active = true;
  let handled = 0;
  const checks = new Map<string, string>();
  const fast = (args: KernelArgs): TensorInfo | null => {
    const be = wasmInternals(args.backend);
    if (!be) return null;
    const inputs = args.inputs as Record<string, TensorInfo>;
    const ctx = { be, elementwise: elementwiseFor(be) ?? scalarKernel(be), simd: simdKernels(be), ema: emaFor(be), offset: (name: string) => heapOffset(be, inputs[name] as TensorInfo) };
    return spec.fast(ctx, inputs, args.attrs);
  };
  const composed = (args: KernelArgs): TensorInfo => {
    const ops = stockOps(args.backend, 'wasm');
    const out = spec.composition(ops, args.inputs as Record<string, TensorInfo>, args.attrs);
    ops.free(out);
    return out;
  };
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    if (active && checks.size === 0) {
      const random = uniformGenerator(0xf05ed);
      const result = selfCheck(args.backend, { inputs: spec.checkCase(random), attrs: spec.checkAttrs ?? {} }, fast, cpuReference(spec, args.backend), FUSED_TOLERANCE);
      checks.set('float32', result.detail);
      if (!result.ok) {
        active = false;
        warn(`@vib/backends: the ${tier} fused ${spec.kernelName} kernel disagrees with the unfused cpu composition (${result.detail}); computing it unfused for the rest of this process.`);
      }
    }
    const out = active ? fast(args) : null;
    if (out === null) return composed(args);
    handled++;
    return out;
  };
  tf.registerKernel({ kernelName: spec.kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc });
  return {
    kernelName: spec.kernelName,
    backendName: 'wasm',
    tier,
    get active() {
      return active;
    },
    get handled() {
      return handled;
    },
    checks,
    uninstall() {
      // idempotent: only the registration made here is removed
      if (tf.getKernel(spec.kernelName, 'wasm')?.kernelFunc === (kernelFunc as unknown as KernelFunc)) tf.unregisterKernel(spec.kernelName, 'wasm');
    },
  };
}

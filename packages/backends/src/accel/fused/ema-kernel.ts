import { FUSED_KERNELS } from '@vib/core';
import type { TensorInfo } from '@tensorflow/tfjs';
import { heapOffset } from '../wasm-internals.js';
import type { FusedContext, FusedKernelSpec } from './fused-kernel-spec.js';

/**
 * out = decay·average + (1 − decay)·value over n floats of the wasm heap (out may be the average itself): the tier's
 * own EMA step where it has one, else the SIMD module's, else a JavaScript loop; all round as the stock kernels do.
 * @param ctx - the tier's kernels on the backend
 * @param a - offset of the average, in floats
 * @param v - offset of the value
 * @param o - offset of the output
 * @param n - element count
 * @param decay - the decay d
 */
export function emaOnHeap(ctx: Pick<FusedContext, 'be' | 'ema' | 'simd'>, a: number, v: number, o: number, n: number, decay: number): void {
  if (ctx.ema) ctx.ema(a, v, o, n, decay);
  else if (ctx.simd) ctx.simd.ema(a, v, o, n, decay);
  else {
    const [d, e] = [Math.fround(decay), Math.fround(1 - decay)];
    const h = ctx.be.wasm.HEAPF32;
    for (let i = 0; i < n; i++) h[o + i] = Math.fround((h[a + i] as number) * d) + Math.fround((h[v + i] as number) * e);
  }
}

const at = (inputs: Record<string, TensorInfo>, name: string): TensorInfo => inputs[name] as TensorInfo;

/**
 * One exponential-moving-average step, decay·average + (1 − decay)·value: one SIMD pass (or a JS loop) instead of
 * two Mul, one Add and two temporaries. The products and the sum are rounded to float32 as the stock kernels
 * round them, so the averages are bitwise the stock ones.
 */
export const emaUpdateKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.emaUpdate,
  inputNames: ['average', 'value'],
  fast(ctx, inputs, attrs) {
    const like = at(inputs, 'average');
    const out = ctx.be.makeOutput(like.shape, 'float32');
    const n = like.shape.reduce((p, d) => p * d, 1);
    const [a, v, o] = [ctx.offset('average'), ctx.offset('value'), heapOffset(ctx.be, out)];
    emaOnHeap(ctx, a, v, o, n, Number(attrs['decay']));
    return out;
  },
  composition(ops, { average, value }, attrs) {
    const decay = Number(attrs['decay']);
    const a = ops.run('Multiply', { a: average as TensorInfo, b: ops.scalar(decay) });
    return ops.run('Add', { a, b: ops.run('Multiply', { a: value as TensorInfo, b: ops.scalar(1 - decay) }) });
  },
  checkCase: (random) => ({
    average: { shape: [3, 7], values: Float32Array.from({ length: 21 }, () => 3 * random()) },
    value: { shape: [3, 7], values: Float32Array.from({ length: 21 }, () => 3 * random()) },
  }),
  checkAttrs: { decay: 0.999 },
};

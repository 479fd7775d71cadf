import { FUSED_KERNELS } from '@vib/core';
import type { TensorInfo } from '@tensorflow/tfjs';
import { UNARY_OPS } from '../unary-override.js';
import { heapOffset } from '../wasm-internals.js';
import type { FusedContext, FusedKernelSpec } from './fused-kernel-spec.js';

const size = (t: TensorInfo): number => t.shape.reduce((p, d) => p * d, 1);
const input = (inputs: Record<string, TensorInfo>, name: string): TensorInfo => inputs[name] as TensorInfo;
/** A [3,7] case (odd in both axes: vector tails in every tier) from `f(r)` with r uniform in [−1, 1). */
const odd = (random: () => number, f: (r: number) => number) => ({ shape: [3, 7], values: Float32Array.from({ length: 21 }, () => f(random())) });

/** out = f(exp(pre(x))) elementwise, with exp from the tier's vectorized kernel: the shape of the Gaussian kernels. */
function expThen(ctx: FusedContext, like: TensorInfo, pre: ((heap: Float32Array, i: number) => number) | null, inName: string, post: (heap: Float32Array, i: number, e: number) => number): TensorInfo {
  const out = ctx.be.makeOutput(like.shape, 'float32');
  const n = size(like);
  const o = heapOffset(ctx.be, out);
  const x = ctx.offset(inName);
  if (n === 0) return out;
  let heap = ctx.be.wasm.HEAPF32;
  if (pre) for (let i = 0; i < n; i++) heap[o + i] = pre(heap, i);
  ctx.unary(UNARY_OPS.Exp, pre ? o : x, o, n);
  heap = ctx.be.wasm.HEAPF32;
  for (let i = 0; i < n; i++) heap[o + i] = post(heap, i, heap[o + i] as number);
  return out;
}

/** KL(N(μ, e^logVar) ‖ N(0, 1)) per element: ½(e^logVar + μ² − 1 − logVar). */
export const stdNormalKLKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.stdNormalKL,
  inputNames: ['mu', 'logVar'],
  fast(ctx, inputs) {
    const [m, v] = [ctx.offset('mu'), ctx.offset('logVar')];
    return expThen(ctx, input(inputs, 'logVar'), null, 'logVar', (h, i, e) => {
      const mu = h[m + i] as number;
      const lv = h[v + i] as number;
      return 0.5 * (e + mu * mu - 1 - lv);
    });
  },
  composition(ops, { mu, logVar }) {
    const lv = logVar as TensorInfo;
    const a = ops.run('Add', { a: lv, b: ops.scalar(1) });
    const b = ops.run('Add', { a: ops.run('Square', { x: mu as TensorInfo }), b: ops.run('Exp', { x: lv }) });
    return ops.run('Multiply', { a: ops.run('Sub', { a, b }), b: ops.scalar(-0.5) });
  },
  checkCase: (random) => ({ mu: odd(random, (r) => 4 * r), logVar: odd(random, (r) => 12 * r) }),
};

/** The logVar gradient of {@link stdNormalKLKernel}: ½·dy·(e^logVar − 1). */
export const stdNormalKLGradKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.stdNormalKLGrad,
  inputNames: ['dy', 'logVar'],
  fast(ctx, inputs) {
    const d = ctx.offset('dy');
    return expThen(ctx, input(inputs, 'logVar'), null, 'logVar', (h, i, e) => 0.5 * (h[d + i] as number) * (e - 1));
  },
  composition(ops, { dy, logVar }) {
    const em1 = ops.run('Sub', { a: ops.run('Exp', { x: logVar as TensorInfo }), b: ops.scalar(1) });
    return ops.run('Multiply', { a: ops.run('Multiply', { a: dy as TensorInfo, b: em1 }), b: ops.scalar(0.5) });
  },
  checkCase: (random) => ({ dy: odd(random, (r) => r), logVar: odd(random, (r) => 12 * r) }),
};

/** The reparameterized sample μ + e^(½·logVar)·ε. */
export const reparameterizeKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.reparameterize,
  inputNames: ['mu', 'logVar', 'eps'],
  fast(ctx, inputs) {
    const [m, v, e] = [ctx.offset('mu'), ctx.offset('logVar'), ctx.offset('eps')];
    return expThen(ctx, input(inputs, 'logVar'), (h, i) => 0.5 * (h[v + i] as number), 'logVar', (h, i, s) => (h[m + i] as number) + s * (h[e + i] as number));
  },
  composition(ops, { mu, logVar, eps }) {
    const s = ops.run('Exp', { x: ops.run('Multiply', { a: logVar as TensorInfo, b: ops.scalar(0.5) }) });
    return ops.run('Add', { a: mu as TensorInfo, b: ops.run('Multiply', { a: s, b: eps as TensorInfo }) });
  },
  checkCase: (random) => ({ mu: odd(random, (r) => 4 * r), logVar: odd(random, (r) => 12 * r), eps: odd(random, (r) => 3 * r) }),
};

/** The logVar gradient of {@link reparameterizeKernel}: ½·dy·ε·e^(½·logVar). */
export const reparameterizeGradKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.reparameterizeGrad,
  inputNames: ['dy', 'logVar', 'eps'],
  fast(ctx, inputs) {
    const [d, v, e] = [ctx.offset('dy'), ctx.offset('logVar'), ctx.offset('eps')];
    return expThen(ctx, input(inputs, 'logVar'), (h, i) => 0.5 * (h[v + i] as number), 'logVar', (h, i, s) => 0.5 * (h[d + i] as number) * (h[e + i] as number) * s);
  },
  composition(ops, { dy, logVar, eps }) {
    const s = ops.run('Exp', { x: ops.run('Multiply', { a: logVar as TensorInfo, b: ops.scalar(0.5) }) });
    const de = ops.run('Multiply', { a: dy as TensorInfo, b: eps as TensorInfo });
    return ops.run('Multiply', { a: ops.run('Multiply', { a: de, b: s }), b: ops.scalar(0.5) });
  },
  checkCase: (random) => ({ dy: odd(random, (r) => r), logVar: odd(random, (r) => 12 * r), eps: odd(random, (r) => 3 * r) }),
};

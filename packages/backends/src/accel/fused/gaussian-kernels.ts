import { FUSED_KERNELS, SOFTPLUS_SCALE } from '@vib/core';
import type { TensorInfo } from '@tensorflow/tfjs';
import { FUSED_ELEMENTWISE } from './fused-elementwise.js';
import { elementwiseChain } from './elementwise-chain.js';
import type { StockOps } from './composition.js';
import type { FusedKernelSpec } from './fused-kernel-spec.js';

/** A [3,7] case (odd in both axes: vector tails in every tier) from `f(r)` with r uniform in [−1, 1). */
const odd = (random: () => number, f: (r: number) => number) => ({ shape: [3, 7], values: Float32Array.from({ length: 21 }, () => f(random())) });

/** σ = e^(½·logVar) in stock kernels, as the unfused sample and its gradient compute it. */
const stdDev = (ops: StockOps, logVar: TensorInfo): TensorInfo => ops.run('Exp', { x: ops.run('Multiply', { a: logVar, b: ops.scalar(0.5) }) });

/** KL(N(μ, e^logVar) ‖ N(0, 1)) per element: ½(e^logVar + μ² − 1 − logVar). */
export const stdNormalKLKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.stdNormalKL,
  inputNames: ['mu', 'logVar'],
  fast: (ctx, inputs) => elementwiseChain(ctx, inputs, FUSED_ELEMENTWISE.stdNormalKL, ['mu', 'logVar']),
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
  fast: (ctx, inputs) => elementwiseChain(ctx, inputs, FUSED_ELEMENTWISE.stdNormalKLGrad, ['dy', 'logVar']),
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
  fast: (ctx, inputs) => elementwiseChain(ctx, inputs, FUSED_ELEMENTWISE.reparameterize, ['mu', 'logVar', 'eps']),
  composition(ops, { mu, logVar, eps }) {
    return ops.run('Add', { a: mu as TensorInfo, b: ops.run('Multiply', { a: stdDev(ops, logVar as TensorInfo), b: eps as TensorInfo }) });
  },
  checkCase: (random) => ({ mu: odd(random, (r) => 4 * r), logVar: odd(random, (r) => 12 * r), eps: odd(random, (r) => 3 * r) }),
};

/** The logVar gradient of {@link reparameterizeKernel}: ½·dy·ε·e^(½·logVar). */
export const reparameterizeGradKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.reparameterizeGrad,
  inputNames: ['dy', 'logVar', 'eps'],
  fast: (ctx, inputs) => elementwiseChain(ctx, inputs, FUSED_ELEMENTWISE.reparameterizeGrad, ['dy', 'logVar', 'eps']),
  composition(ops, { dy, logVar, eps }) {
    const s = stdDev(ops, logVar as TensorInfo);
    const de = ops.run('Multiply', { a: dy as TensorInfo, b: eps as TensorInfo });
    return ops.run('Multiply', { a: ops.run('Multiply', { a: de, b: s }), b: ops.scalar(0.5) });
  },
  checkCase: (random) => ({ dy: odd(random, (r) => r), logVar: odd(random, (r) => 12 * r), eps: odd(random, (r) => 3 * r) }),
};

/** softplus(raw − 5) + 10⁻⁶ and raw − 5 in stock kernels: σ of the softplus scale (`@vib/core`'s `SOFTPLUS_SCALE`). */
const softplusScale = (ops: StockOps, raw: TensorInfo): { shifted: TensorInfo; sigma: TensorInfo } => {
  const shifted = ops.run('Sub', { a: raw, b: ops.scalar(SOFTPLUS_SCALE.shift) });
  return { shifted, sigma: ops.run('Add', { a: ops.run('Softplus', { x: shifted }), b: ops.scalar(SOFTPLUS_SCALE.floor) }) };
};

/** log σ² = 2·log(softplus(raw − 5) + 10⁻⁶) of the softplus scale. */
export const softplusLogVarKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.softplusLogVar,
  inputNames: ['raw'],
  fast: (ctx, inputs) => elementwiseChain(ctx, inputs, FUSED_ELEMENTWISE.softplusLogVar, ['raw', 'raw']),
  composition(ops, { raw }) {
    return ops.run('Multiply', { a: ops.run('Log', { x: softplusScale(ops, raw as TensorInfo).sigma }), b: ops.scalar(2) });
  },
  // raw − 5 from −17 (σ at its floor) to 7
  checkCase: (random) => ({ raw: odd(random, (r) => 12 * r) }),
};

/** The raw gradient of {@link softplusLogVarKernel}: (2·dy)/σ·sigmoid(raw − 5), the stock chain rule's order. */
export const softplusLogVarGradKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.softplusLogVarGrad,
  inputNames: ['dy', 'raw'],
  fast: (ctx, inputs) => elementwiseChain(ctx, inputs, FUSED_ELEMENTWISE.softplusLogVarGrad, ['dy', 'raw']),
  composition(ops, { dy, raw }) {
    const { shifted, sigma } = softplusScale(ops, raw as TensorInfo);
    const scaled = ops.run('RealDiv', { a: ops.run('Multiply', { a: dy as TensorInfo, b: ops.scalar(2) }), b: sigma });
    return ops.run('Multiply', { a: scaled, b: ops.run('Sigmoid', { x: shifted }) });
  },
  checkCase: (random) => ({ dy: odd(random, (r) => r), raw: odd(random, (r) => 12 * r) }),
};

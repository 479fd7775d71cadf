import { FUSED_KERNELS } from '@vib/core';
import type { TensorInfo } from '@tensorflow/tfjs';
import { FUSED_ELEMENTWISE } from './fused-elementwise.js';
import { elementwiseChain } from './elementwise-chain.js';
import type { FusedKernelSpec } from './fused-kernel-spec.js';

/** Values of y the check meets among random ones: zeros of both signs, subnormals (NaN and ±∞ are the unit tests'). */
const EDGES = [0, -0, 1e-40, -1e-40, 3, -3];

/** The gradient through a ReLU from its output, dy·step(y): one pass where tfjs runs `Step` and `Multiply`. */
export const reluGradKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.reluGrad,
  inputNames: ['dy', 'y'],
  fast: (ctx, inputs) => elementwiseChain(ctx, inputs, FUSED_ELEMENTWISE.reluGrad, ['dy', 'y']),
  composition: (ops, { dy, y }) => ops.run('Multiply', { a: dy as TensorInfo, b: ops.run('Step', { x: y as TensorInfo }, { alpha: 0 }) }),
  // [3,7]: a vector tail in every tier
  checkCase: (random) => ({
    dy: { shape: [3, 7], values: Float32Array.from({ length: 21 }, () => 4 * random()) },
    y: { shape: [3, 7], values: Float32Array.from({ length: 21 }, (_, i) => EDGES[i % 9] ?? 2 * random()) },
  }),
};

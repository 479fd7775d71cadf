import { FUSED_KERNELS } from '@vib/core';
import type { TensorInfo } from '@tensorflow/tfjs';
import { FUSED_ELEMENTWISE } from './fused-elementwise.js';
import { heapOffset } from '../wasm-internals.js';
import type { FusedKernelSpec } from './fused-kernel-spec.js';
import type { StockOps } from './composition.js';

const dims = (t: TensorInfo): [number, number] => [t.shape[0] ?? 0, t.shape[1] ?? 0];
const input = (inputs: Record<string, TensorInfo>, name: string): TensorInfo => inputs[name] as TensorInfo;
const LAST = { axis: [1], keepDims: false };
/** dy [B] seen as [B,1] (same data; no kernel, so nothing to free). */
const column = (dy: TensorInfo, b: number): TensorInfo => ({ dataId: dy.dataId, shape: [b, 1], dtype: dy.dtype });

/** A [5,7] case: logits from `f(r)`, labels one-hot rows (one row all zero, one with two halves). */
function labelledCase(random: () => number, f: (r: number) => number, soft: boolean) {
  const [b, c] = [5, 7];
  const logits = Float32Array.from({ length: b * c }, () => f(random()));
  const labels = new Float32Array(b * c);
  for (let i = 0; i < b; i++) {
    if (soft) for (let j = 0; j < c; j++) labels[i * c + j] = (random() + 1) / 2;
    else if (i === 1) continue;
    else if (i === 2) (labels[i * c] = 0.5), (labels[i * c + c - 1] = 0.5);
    else labels[i * c + Math.floor(((random() + 1) / 2) * c)] = 1;
  }
  return { logits: { shape: [b, c], values: logits }, [soft ? 'targets' : 'labels']: { shape: [b, c], values: labels } };
}
const withDy = (random: () => number, rest: ReturnType<typeof labelledCase>) => ({ dy: { shape: [5], values: Float32Array.from({ length: 5 }, () => random()) }, ...rest });

/** log softmax by rows, as tf.logSoftmax composes it: (x − max) − log Σ exp(x − max). */
function logSoftmax(ops: StockOps, x: TensorInfo): TensorInfo {
  const shifted = ops.run('Sub', { a: x, b: ops.run('Max', { x }, { reductionIndices: [1], keepDims: true }) });
  const lse = ops.run('Log', { x: ops.run('Sum', { x: ops.run('Exp', { x: shifted }) }, { axis: [1], keepDims: true }) });
  return ops.run('Sub', { a: shifted, b: lse });
}

/** For each row b: its max, and Σ exp(x − max) (exactly, in float64). */
function rowSoftmax(heap: Float32Array, x: number, b: number, c: number): { max: number; sum: number } {
  let max = -Infinity;
  for (let j = 0; j < c; j++) max = Math.max(max, heap[x + b * c + j] as number);
  let sum = 0;
  for (let j = 0; j < c; j++) sum += Math.exp((heap[x + b * c + j] as number) - max);
  return { max, sum };
}

/** Softmax cross-entropy per row: −Σ_c t·(x − max − log Σ exp(x − max)). */
export const softmaxCrossEntropyKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.softmaxCrossEntropy,
  inputNames: ['logits', 'labels'],
  fast(ctx, inputs) {
    const [b, c] = dims(input(inputs, 'logits'));
    const out = ctx.be.makeOutput([b], 'float32');
    const [x, t, o] = [ctx.offset('logits'), ctx.offset('labels'), heapOffset(ctx.be, out)];
    const heap = ctx.be.wasm.HEAPF32;
    for (let i = 0; i < b; i++) {
      const { max, sum } = rowSoftmax(heap, x, i, c);
      const lse = max + Math.log(sum);
      let acc = 0;
      for (let j = 0; j < c; j++) acc += (heap[t + i * c + j] as number) * ((heap[x + i * c + j] as number) - lse);
      heap[o + i] = -acc;
    }
    return out;
  },
  composition: (ops, { logits, labels }) =>
    ops.run('Neg', { x: ops.run('Sum', { x: ops.run('Multiply', { a: logSoftmax(ops, logits as TensorInfo), b: labels as TensorInfo }) }, LAST) }),
  checkCase: (random) => labelledCase(random, (r) => 30 * r, false),
};

/** Its logits gradient: dy·(softmax(x)·Σ t − t). */
export const softmaxCrossEntropyGradKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.softmaxCrossEntropyGrad,
  inputNames: ['dy', 'logits', 'labels'],
  fast(ctx, inputs) {
    const [b, c] = dims(input(inputs, 'logits'));
    const out = ctx.be.makeOutput([b, c], 'float32');
    const [d, x, t, o] = [ctx.offset('dy'), ctx.offset('logits'), ctx.offset('labels'), heapOffset(ctx.be, out)];
    const heap = ctx.be.wasm.HEAPF32;
    for (let i = 0; i < b; i++) {
      const { max, sum } = rowSoftmax(heap, x, i, c);
      let mass = 0;
      for (let j = 0; j < c; j++) mass += heap[t + i * c + j] as number;
      const g = heap[d + i] as number;
      for (let j = 0; j < c; j++) {
        const k = i * c + j;
        heap[o + k] = g * ((Math.exp((heap[x + k] as number) - max) / sum) * mass - (heap[t + k] as number));
      }
    }
    return out;
  },
  composition(ops, { dy, logits, labels }) {
    const [b] = dims(logits as TensorInfo);
    const x = logits as TensorInfo;
    const p = ops.run('Softmax', { logits: x }, { dim: 1 });
    const mass = ops.run('Sum', { x: labels as TensorInfo }, { axis: [1], keepDims: true });
    const diff = ops.run('Sub', { a: ops.run('Multiply', { a: p, b: mass }), b: labels as TensorInfo });
    return ops.run('Multiply', { a: column(dy as TensorInfo, b), b: diff });
  },
  checkCase: (random) => withDy(random, labelledCase(random, (r) => 30 * r, false)),
};

/** Bernoulli negative log-likelihood per row: Σ_d softplus(x) − t·x (the chain vectorized, the row sums in float64). */
export const bernoulliNllKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.bernoulliNll,
  inputNames: ['logits', 'targets'],
  fast(ctx, inputs) {
    const like = input(inputs, 'logits');
    const [b, c] = dims(like);
    const tmp = ctx.be.makeOutput([b, c], 'float32');
    const out = ctx.be.makeOutput([b], 'float32');
    const [x, t, s, o] = [ctx.offset('logits'), ctx.offset('targets'), heapOffset(ctx.be, tmp), heapOffset(ctx.be, out)];
    if (b * c > 0) ctx.elementwise(FUSED_ELEMENTWISE.bernoulliNll, x, t, x, s, b * c);
    if (ctx.simd) ctx.simd.rowSums64(s, b, c, o);
    else {
      const heap = ctx.be.wasm.HEAPF32;
      for (let i = 0; i < b; i++) {
        let acc = 0;
        for (let j = i * c; j < (i + 1) * c; j++) acc += heap[s + j] as number;
        heap[o + i] = acc;
      }
    }
    (ctx.be as unknown as { disposeData(id: unknown, force: boolean): void }).disposeData(tmp.dataId, true);
    return out;
  },
  composition: (ops, { logits, targets }) =>
    ops.run('Sum', { x: ops.run('Sub', { a: ops.run('Softplus', { x: logits as TensorInfo }), b: ops.run('Multiply', { a: targets as TensorInfo, b: logits as TensorInfo }) }) }, LAST),
  checkCase: (random) => labelledCase(random, (r) => 40 * r, true),
};

/** Its logits gradient: dy·(sigmoid(x) − t). */
export const bernoulliNllGradKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.bernoulliNllGrad,
  inputNames: ['dy', 'logits', 'targets'],
  fast(ctx, inputs) {
    const [b, c] = dims(input(inputs, 'logits'));
    const out = ctx.be.makeOutput([b, c], 'float32');
    const [d, x, t, o] = [ctx.offset('dy'), ctx.offset('logits'), ctx.offset('targets'), heapOffset(ctx.be, out)];
    if (b * c > 0) ctx.elementwise(FUSED_ELEMENTWISE.bernoulliResidual, x, t, x, o, b * c);
    if (ctx.simd) ctx.simd.scaleRows(o, d, b, c);
    else {
      const heap = ctx.be.wasm.HEAPF32;
      for (let i = 0; i < b; i++) {
        const g = heap[d + i] as number;
        for (let j = i * c; j < (i + 1) * c; j++) heap[o + j] = g * (heap[o + j] as number);
      }
    }
    return out;
  },
  composition(ops, { dy, logits, targets }) {
    const [b] = dims(logits as TensorInfo);
    const diff = ops.run('Sub', { a: ops.run('Sigmoid', { x: logits as TensorInfo }), b: targets as TensorInfo });
    return ops.run('Multiply', { a: column(dy as TensorInfo, b), b: diff });
  },
  checkCase: (random) => withDy(random, labelledCase(random, (r) => 40 * r, true)),
};

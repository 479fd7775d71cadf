import * as tf from '@tensorflow/tfjs';
import { bernoulliNllRows, emaUpdate, fusedDense, reparameterize, softmaxCrossEntropyRows, softplusLogVar, stdNormalKLPerDim } from '@vib/core';

/** One kernel (or short chain) to compare between backends: its inputs' shapes and value ranges, and whether to check gradients. */
export interface KernelCase {
  readonly name: string;
  /** Input shapes and the [lo, hi) range of their uniform values. */
  readonly inputs: readonly { readonly shape: readonly number[]; readonly range: readonly [number, number]; readonly dtype?: 'int32' }[];
  /** The computation; its gradient with respect to every float input is checked when `grad` is set. */
  readonly f: (xs: tf.Tensor[]) => tf.Tensor;
  readonly grad: boolean;
}

const u = (shape: number[], lo = -2, hi = 2) => ({ shape, range: [lo, hi] as const });

/**
 * The kernels of the VIB and VAE training steps (forward, backward, Adam, metrics) and of batching on the
 * device, on odd shapes (no dimension a multiple of 4, so no work-group size divides them). Names follow
 * tfjs's kernels as `tf.profile` lists them for one training epoch of each task on the cpu backend.
 */
export const KERNEL_CASES: readonly KernelCase[] = [
  { name: 'BatchMatMul a·b', inputs: [u([7, 13]), u([13, 5])], f: ([a, b]) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), grad: true },
  { name: 'BatchMatMul aᵀ·b', inputs: [u([13, 7]), u([13, 5])], f: ([a, b]) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false), grad: true },
  { name: 'BatchMatMul a·bᵀ', inputs: [u([7, 13]), u([5, 13])], f: ([a, b]) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true), grad: true },
  { name: 'BatchMatMul batched [3,5,7]·[3,7,9]', inputs: [u([3, 5, 7]), u([3, 7, 9])], f: ([a, b]) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D), grad: true },
  { name: 'BatchMatMul 37×129·129×67 (tiled)', inputs: [u([37, 129], -1, 1), u([129, 67], -1, 1)], f: ([a, b]) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), grad: true },
  {
    name: '_FusedMatMul + bias + relu',
    inputs: [u([9, 17]), u([17, 11]), u([11])],
    f: ([a, b, c]) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c as tf.Tensor, activation: 'relu' }),
    grad: true,
  },
  { name: 'Add/Sub/Multiply broadcast [9,7]∘[7]', inputs: [u([9, 7]), u([7])], f: ([a, b]) => tf.sub(tf.mul(tf.add(a!, b!), a!), b!), grad: true },
  { name: 'RealDiv', inputs: [u([9, 7]), u([9, 7], 0.5, 3)], f: ([a, b]) => tf.div(a!, b!), grad: true },
  { name: 'Exp, Log', inputs: [u([13, 7], 0.1, 3)], f: ([a]) => tf.log(tf.add(tf.exp(tf.neg(a!)), a!)), grad: true },
  { name: 'Sqrt, Square', inputs: [u([13, 7], 0.1, 3)], f: ([a]) => tf.add(tf.sqrt(a!), tf.square(a!)), grad: true },
  { name: 'Relu (Step in the gradient)', inputs: [u([13, 7])], f: ([a]) => tf.relu(a!), grad: true },
  { name: 'Sigmoid, Softplus', inputs: [u([13, 7], -6, 6)], f: ([a]) => tf.add(tf.sigmoid(a!), tf.softplus(a!)), grad: true },
  { name: 'logSoftmax (Max, Exp, Sum, Log)', inputs: [u([9, 11], -5, 5)], f: ([a]) => tf.logSoftmax(a!), grad: true },
  { name: 'Sum, Mean over axes', inputs: [u([5, 9, 7])], f: ([a]) => tf.concat([tf.sum(a!, [0, 2]), tf.mean(a!, 1).reshape([-1])]), grad: true },
  { name: 'Max over the last axis', inputs: [u([9, 13])], f: ([a]) => tf.max(a!, -1), grad: false },
  { name: 'Concat, Pack, Slice, ExpandDims', inputs: [u([5, 7]), u([5, 3])], f: ([a, b]) => tf.slice(tf.stack([tf.concat([a!, b!], 1), tf.concat([b!, a!], 1)]), [0, 1, 2], [2, 3, 5]).expandDims(0), grad: true },
  { name: 'GatherV2 (device batches)', inputs: [u([17, 7]), { shape: [9], range: [0, 17], dtype: 'int32' }], f: ([a, i]) => tf.gather(a!, i!), grad: false },
  // @vib/core's fused element-wise ops: one kernel where a backend registers it (webgpu, the wasm tiers), else the
  // stock composition
  {
    name: 'VibDense + bias + relu and its gradient',
    inputs: [u([9, 17]), u([17, 11]), u([11])],
    f: ([a, b, c]) => fusedDense(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor1D, 'relu'),
    grad: true,
  },
  { name: 'VibStdNormalKL and its gradient', inputs: [u([9, 7]), u([9, 7], -3, 2)], f: ([m, lv]) => stdNormalKLPerDim(m!, lv!), grad: true },
  { name: 'VibReparameterize and its gradient', inputs: [u([9, 7]), u([9, 7], -3, 2), u([9, 7])], f: ([m, lv, e]) => reparameterize(m!, lv!, e!), grad: true },
  // raw − 5 from −13 (σ near its 1e-6 floor) to 7
  { name: 'VibSoftplusLogVar (the softplus scale) and its gradient', inputs: [u([9, 7], -8, 12)], f: ([r]) => softplusLogVar(r!), grad: true },
  { name: 'VibEmaUpdate', inputs: [u([9, 7]), u([9, 7])], f: ([a, v]) => emaUpdate(a!, v!, 0.999), grad: false },
  { name: 'VibSoftmaxCrossEntropy (soft labels) and its gradient', inputs: [u([9, 11], -5, 5), u([9, 11], 0, 1)], f: ([x, t]) => softmaxCrossEntropyRows(x!, t!), grad: true },
  // labels one-hot in int32, cast to float32: tfjs-webgpu keeps the int32 buffer under the float32 tensor
  { name: 'VibSoftmaxCrossEntropy on one-hot labels cast from int32', inputs: [u([9, 11], -5, 5), { shape: [9], range: [0, 11], dtype: 'int32' }], f: ([x, y]) => softmaxCrossEntropyRows(x!, tf.oneHot(y!, 11).toFloat()), grad: true },
  { name: 'VibBernoulliNll and its gradient', inputs: [u([7, 13], -6, 6), u([7, 13], 0, 1)], f: ([x, t]) => bernoulliNllRows(x!, t!), grad: true },
  // rows wider than a webgpu row program's workgroup (64 lanes): each lane takes several columns
  { name: 'VibSoftmaxCrossEntropy and its gradient, 1000 classes', inputs: [u([3, 1000], -5, 5), u([3, 1000], 0, 1)], f: ([x, t]) => softmaxCrossEntropyRows(x!, t!), grad: true },
  { name: 'VibBernoulliNll and its gradient, 784 pixels a row', inputs: [u([5, 784], -6, 6), u([5, 784], 0, 1)], f: ([x, t]) => bernoulliNllRows(x!, t!), grad: true },
  {
    name: 'OneHot, ArgMax, Equal, Cast (accuracy)',
    inputs: [u([11, 7]), { shape: [11], range: [0, 7], dtype: 'int32' }],
    f: ([a, y]) => tf.concat([tf.sum(tf.oneHot(y!, 7).mul(a!), -1), tf.cast(tf.equal(tf.argMax(a!, -1), y!), 'float32')]),
    grad: false,
  },
];

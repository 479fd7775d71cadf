import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS, runFused } from './fused-op.js';
import { reluMask } from './relu-mask.js';

/** The activations {@link fusedDense} folds into its product: the ones whose gradient needs only the output. */
export type DenseActivation = 'linear' | 'relu';

/**
 * The gradient of `VibDense`: with g = dy (linear) or dy·step(y) (ReLU, from the saved output y),
 * x̄ = g·wᵀ, w̄ = xᵀ·g and b̄ = Σ_rows g. The engine calls only the thunks of inputs on the path to the loss, so the
 * first layer's x̄, which nothing needs, is never computed; g is computed once, here, for all three.
 */
const denseGrad: tf.GradConfig['gradFunc'] = (dy, saved, attrs) => {
  const [x, w, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const d = dy as tf.Tensor2D;
  const g = attrs['activation'] === 'relu' ? reluMask(d, y) : d;
  return { x: () => tf.matMul(g, w, false, true), w: () => tf.matMul(x, g, true, false), b: () => tf.sum(g, 0) };
};

/** Whether `VibDense` can take these operands: float32, x [B,I], w [I,O], b [O] or none, and a kernel registered. */
function fusable(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null, activation: string): boolean {
  if (activation !== 'linear' && activation !== 'relu') return false;
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0]) return false;
  if (b !== null && (b.rank !== 1 || b.shape[0] !== w.shape[1] || b.dtype !== 'float32')) return false;
  return x.dtype === 'float32' && w.dtype === 'float32' && tf.getKernel(FUSED_KERNELS.dense, tf.getBackend()) !== undefined;
}

/**
 * A dense layer, activation(x·w + b), as one node of the gradient tape where the backend has a `VibDense` kernel
 * (`@vib/backends` registers one on wasm in its pure and native tiers, and on webgpu). tfjs's own `tf.fused.matMul` splits the
 * product, the bias and a ReLU into separate kernels while gradients are recorded, each with its own saved tensors;
 * this op saves x, w and the output once, and its gradient runs the two products and the column sum on one masked
 * gradient. Elsewhere (no kernel, other dtypes or ranks) it is `tf.fused.matMul`, with the same results.
 * @param x - inputs [B,I]
 * @param w - weights [I,O]
 * @param b - bias [O], or null for none
 * @param activation - `linear` (default) or `relu` (any other of tfjs's fused activations runs as `tf.fused.matMul`)
 * @returns activation(x·w + b), [B,O]
 * @example
 * ```ts
 * const h = fusedDense(tf.ones([2, 3]) as tf.Tensor2D, tf.ones([3, 4]) as tf.Tensor2D, tf.zeros([4]) as tf.Tensor1D, 'relu');
 * h.shape; // [2, 4], every entry 3
 * ```
 */
export function fusedDense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D | null, activation: DenseActivation = 'linear'): tf.Tensor2D {
  if (!fusable(x, w, b, activation)) return tf.fused.matMul({ a: x, b: w, ...(b === null ? {} : { bias: b }), activation }) as tf.Tensor2D;
  return runFused(FUSED_KERNELS.dense, b === null ? { x, w } : { x, w, b }, { save: ['x', 'w'], saveOutput: true, func: denseGrad }, { activation }) as tf.Tensor2D;
}

/**
 * A `VibDense` kernel for a backend, made of that backend's own `_FusedMatMul` kernel (looked up at each call, so an
 * override installed later is the one used): what a backend registers to give {@link fusedDense} its one tape node.
 * The operands go to `_FusedMatMul` as `tf.fused.matMul` hands them over, as batches of one ([1,B,I]·[1,I,O]; tfjs-wasm's
 * kernel reads rank-3 shapes only), by a view of the same data, so the backend must keep a tensor's data apart from
 * its shape (cpu, wasm and webgpu do; webgl's packed textures do not).
 * @param backendName - the backend, e.g. `wasm`
 * @returns the kernel's config, for `tf.registerKernel`
 * @example
 * ```ts
 * tf.registerKernel(denseKernelConfig('cpu'));
 * ```
 */
export function denseKernelConfig(backendName: string): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const fused = tf.getKernel('_FusedMatMul', backendName);
    if (fused === undefined) throw new Error(`VibDense on "${backendName}" needs that backend's _FusedMatMul kernel, and it has none`);
    const { x, w, b } = inputs as Record<string, tf.TensorInfo | undefined>;
    if (x === undefined || w === undefined) throw new Error('VibDense needs inputs x and w');
    const batchOfOne = (t: tf.TensorInfo): tf.TensorInfo => ({ dataId: t.dataId, shape: [1, ...t.shape], dtype: t.dtype });
    const activation = attrs?.['activation'] ?? 'linear';
    const out = fused.kernelFunc({
      inputs: { a: batchOfOne(x), b: batchOfOne(w), ...(b === undefined ? {} : { bias: b }) } as unknown as tf.NamedTensorMap,
      backend,
      attrs: { transposeA: false, transposeB: false, activation },
    }) as tf.TensorInfo;
    return { dataId: out.dataId, shape: out.shape.slice(1), dtype: out.dtype };
  };
  return { kernelName: FUSED_KERNELS.dense, backendName, kernelFunc };
}

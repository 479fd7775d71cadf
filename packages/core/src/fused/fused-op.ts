import * as tf from '@tensorflow/tfjs';
type GradFunc = tf.GradConfig['gradFunc'];
/** A kernel's attributes, as the engine takes them. */
type KernelAttrs = Parameters<ReturnType<typeof tf.engine>['runKernel']>[2];

/**
 * The fused elementwise kernels of the VIB and VAE steps, by TensorFlow.js kernel name. An acceleration layer
 * (e.g. `@vib/backends` on wasm) registers them for a backend; where a backend has none, the ops in this
 * folder compute the same thing with stock ops, so results there are exactly what they were before.
 * Every kernel is float32 in, float32 out, with the input names given beside it.
 */
export const FUSED_KERNELS = {
  /** {mu, logVar} [B,K] → ½(exp(logVar) + μ² − 1 − logVar), [B,K]. */
  stdNormalKL: 'VibStdNormalKL',
  /** {dy, logVar} [B,K] → ½·dy·(exp(logVar) − 1), the logVar gradient of `VibStdNormalKL`. */
  stdNormalKLGrad: 'VibStdNormalKLGrad',
  /** {mu, logVar, eps} [B,K] → μ + exp(½·logVar)·ε. */
  reparameterize: 'VibReparameterize',
  /** {dy, logVar, eps} [B,K] → ½·dy·ε·exp(½·logVar), the logVar gradient of `VibReparameterize`. */
  reparameterizeGrad: 'VibReparameterizeGrad',
  /** {logits, labels} [B,C] → −Σ_c labels·logSoftmax(logits), [B]. */
  softmaxCrossEntropy: 'VibSoftmaxCrossEntropy',
  /** {dy [B], logits, labels [B,C]} → dy·(softmax(logits)·Σ_c labels − labels), [B,C]. */
  softmaxCrossEntropyGrad: 'VibSoftmaxCrossEntropyGrad',
  /** {logits, targets} [B,D] → Σ_d softplus(logits) − targets·logits, [B]: −log Bernoulli(targets; sigmoid(logits)). */
  bernoulliNll: 'VibBernoulliNll',
  /** {dy [B], logits, targets [B,D]} → dy·(sigmoid(logits) − targets), [B,D]. */
  bernoulliNllGrad: 'VibBernoulliNllGrad',
  /** {average, value} and attr `decay` → decay·average + (1 − decay)·value, each product rounded to float32. */
  emaUpdate: 'VibEmaUpdate',
  /**
   * {x [B,I], w [I,O], b [O] (optional)} and attr `activation` (`linear` or `relu`) → activation(x·w + b), [B,O]:
   * a dense layer as one node of the gradient tape (see `fusedDense`).
   */
  dense: 'VibDense',
  /**
   * {dy, y} (same shape) → dy·step(y): the gradient through a ReLU from its output y (1 where y > 0, 0 elsewhere, NaN
   * where y is NaN, as tfjs's `Step`), the mask of `fusedDense`'s ReLU layers in one kernel instead of two.
   */
  reluGrad: 'VibReluGrad',
  /**
   * {logLik [B,C], labels [B] (class indices as float32)} → [2]: −Σ_b logLik[b, label_b] and the count of rows whose
   * first largest entry is at their label, the sums a classification task reports for a batch (see
   * `classificationScoreSums`). Not differentiable (it has no gradient).
   */
  classificationScores: 'VibClassificationScores',
  /** {raw} → 2·log(softplus(raw − 5) + 10⁻⁶): log σ² of Alemi et al. (2017)'s softplus scale (see `softplusLogVar`). */
  softplusLogVar: 'VibSoftplusLogVar',
  /** {dy, raw} (same shape) → 2·dy·sigmoid(raw − 5)/(softplus(raw − 5) + 10⁻⁶), the raw gradient of `VibSoftplusLogVar`. */
  softplusLogVarGrad: 'VibSoftplusLogVarGrad',
} as const;

/** Name of one of the {@link FUSED_KERNELS}. */
export type FusedKernelName = (typeof FUSED_KERNELS)[keyof typeof FUSED_KERNELS];

/**
 * Whether the active backend has a kernel registered for `kernelName` (and every input is float32).
 * @param kernelName - a {@link FUSED_KERNELS} name
 * @param inputs - the inputs the kernel would get
 * @returns true when the fused kernel would run
 */
export function hasFusedKernel(kernelName: FusedKernelName, inputs: readonly tf.Tensor[]): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined && inputs.every((t) => t.dtype === 'float32');
}

/** The gradient of a fused kernel, registered on its first use by {@link runFused}. */
export interface FusedGradient {
  /** Names of the inputs the gradient function gets back (in `saved`, in this order). */
  readonly save: string[];
  /** Whether the kernel's output is saved too (after the inputs in `saved`). */
  readonly saveOutput?: boolean;
  /** The gradient function: `dy`, the saved tensors and the kernel's attributes → a gradient thunk per input. */
  readonly func: GradFunc;
}

/**
 * Run a fused kernel through the engine (so the gradient tape records it), registering its gradient on first use.
 * @param kernelName - a {@link FUSED_KERNELS} name
 * @param inputs - the kernel's inputs by name
 * @param gradient - its gradient: what to save, and the gradient function
 * @param attrs - the kernel's attributes (e.g. `VibDense`'s `activation`)
 * @returns the kernel's output
 */
export function runFused(kernelName: FusedKernelName, inputs: tf.NamedTensorMap, gradient?: FusedGradient, attrs?: KernelAttrs): tf.Tensor {
  if (gradient && tf.getGradient(kernelName) === undefined) {
    tf.registerGradient({ kernelName, inputsToSave: gradient.save, ...(gradient.saveOutput ? { outputsToSave: [true] } : {}), gradFunc: gradient.func });
  }
  return tf.engine().runKernel(kernelName, inputs, attrs) as tf.Tensor;
}

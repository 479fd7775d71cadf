import * as tf from '@tensorflow/tfjs';
import { bernoulliNllRows, fusedDense, randomNormalFast, reparameterize, softmaxCrossEntropyRows, stdNormalKLPerDim } from '@vib/core';

/** Dense layer sizes [in, out] of the VIB MLP (Alemi et al. 2017) and of the VAE, for the sgemm floor. */
export const VIB_LAYERS: readonly [number, number][] = [[784, 1024], [1024, 1024], [1024, 256], [1024, 256], [256, 10]];
export const VAE_LAYERS: readonly [number, number][] = [[784, 512], [512, 32], [512, 32], [32, 512], [512, 784]];

/** A model step to time: a closure over its variables and optimizer, plus its cost. */
export interface BenchStep {
  readonly label: string;
  /** Run one step (training: forward, backward, Adam; inference: forward) and wait for the result. */
  run(): void;
  /** The same step, waiting with an asynchronous read (webgpu in Node has no synchronous one). */
  runAsync(): Promise<void>;
  /** Matmul FLOPs per step (2·m·n·k summed), for effective GFLOP/s. */
  readonly flops: number;
  readonly batch: number;
  /** The training loss (VIB step): for timing its parts apart, as bench/gpu/split-step.ts does. */
  readonly loss?: () => tf.Scalar;
  /** The Adam optimizer `run` steps with (VIB step). */
  readonly optimizer?: tf.Optimizer;
  dispose(): void;
}

/** A variable from an initial tensor, disposing the initial tensor (the variable keeps the data). */
const owned = (init: tf.Tensor): tf.Variable => {
  const v = tf.variable(init);
  init.dispose();
  return v;
};
const dense = (inDim: number, outDim: number, seed: number): { w: tf.Variable; b: tf.Variable } => ({
  w: owned(tf.randomNormal([inDim, outDim], 0, Math.sqrt(2 / inDim), 'float32', seed)),
  b: owned(tf.zeros([outDim])),
});
/** Wait for a step's result synchronously, or asynchronously, then free it. */
const settle = (t: tf.Tensor | null): void => void (t?.dataSync(), t?.dispose());
const settleAsync = async (t: tf.Tensor | null): Promise<void> => void (await t?.data(), t?.dispose());
/** A dense layer as the library's layers run it (`fusedDense`: one tape node where the tier registers VibDense). */
const apply = (x: tf.Tensor2D, l: { w: tf.Variable; b: tf.Variable }, relu: boolean): tf.Tensor2D =>
  fusedDense(x, l.w as tf.Tensor2D, l.b as tf.Tensor1D, relu ? 'relu' : 'linear');

/**
 * One training step of Alemi et al. (2017)'s VIB MLP on MNIST-sized inputs:
 * 784-1024-1024 ReLU → μ and log σ² heads (K=256) → 10-way softmax; loss CE + β·KL, β = 1e-3, Adam.
 */
export function vibStep(batch = 100, train = true, images?: Float32Array): BenchStep {
  const [d, h, k, c] = [784, 1024, 256, 10];
  const layers = [dense(d, h, 1), dense(h, h, 2), dense(h, k, 3), dense(h, k, 4), dense(k, c, 5)] as const;
  // uniform in [0, 1), or `batch` images of 784 pixels in [0, 1] (real images: their zero pixels, the background, are
  // products the pure tier's sparse GEMM skips in the first layer as well)
  const x = (images ? tf.tensor2d(images.subarray(0, batch * d), [batch, d]) : tf.randomUniform([batch, d], 0, 1, 'float32', 6)) as tf.Tensor2D;
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, c, 'int32', 7) as tf.Tensor1D, c).toFloat());
  const opt = tf.train.adam(1e-4);
  const [l1, l2, lmu, llv, lout] = layers;
  const loss = (): tf.Scalar => {
    const hid = apply(apply(x, l1, true), l2, true);
    const mu = apply(hid, lmu, false);
    const logvar = apply(hid, llv, false);
    // the library's ops: fused kernels where the tier registers them, the stock composition elsewhere
    const z = reparameterize(mu, logvar, randomNormalFast(mu.shape));
    const logits = apply(z as tf.Tensor2D, lout, false);
    const ce = tf.mean(softmaxCrossEntropyRows(logits, y));
    const kl = tf.mean(tf.sum(stdNormalKLPerDim(mu, logvar), 1));
    return ce.add(kl.mul(1e-3)) as tf.Scalar;
  };
  const fwd = 2 * batch * (d * h + h * h + 2 * h * k + k * c);
  const infer = (): tf.Tensor => tf.tidy(() => tf.softmax(apply(apply(apply(apply(x, l1, true), l2, true), lmu, false), lout, false)));
  const once = (): tf.Tensor | null => (train ? opt.minimize(loss, true) : infer());
  return {
    label: train ? 'VIB train step' : images ? 'VIB inference on Fashion-MNIST test images' : batch === 1 ? 'VIB inference on one input' : 'VIB inference',
    batch,
    loss,
    optimizer: opt,
    // forward + dX + dW per layer, less dX of the first layer (not needed): 1.27 GFLOP at batch 100
    flops: train ? 3 * fwd - 2 * batch * d * h : fwd - 2 * batch * h * k,
    run: () => settle(once()),
    runAsync: () => settleAsync(once()),
    dispose: () => {
      opt.dispose();
      for (const l of layers) (l.w.dispose(), l.b.dispose());
      x.dispose();
      y.dispose();
    },
  };
}

/** One training step of a VAE (Kingma & Welling 2014): 784-512-(μ, log σ² of K=32) → 512-784 Bernoulli decoder, Adam. */
export function vaeStep(batch = 100): BenchStep {
  const [d, h, k] = [784, 512, 32];
  const layers = [dense(d, h, 11), dense(h, k, 12), dense(h, k, 13), dense(k, h, 14), dense(h, d, 15)] as const;
  const x = tf.tidy(() => tf.randomUniform([batch, d], 0, 1, 'float32', 16).greater(0.5).toFloat() as tf.Tensor2D);
  const opt = tf.train.adam(1e-3);
  const [enc, lmu, llv, dec1, dec2] = layers;
  const loss = (): tf.Scalar => {
    const hid = apply(x, enc, true);
    const mu = apply(hid, lmu, false);
    const logvar = apply(hid, llv, false);
    const z = reparameterize(mu, logvar, randomNormalFast(mu.shape)) as tf.Tensor2D;
    const logits = apply(apply(z, dec1, true), dec2, false);
    const nll = tf.mean(bernoulliNllRows(logits, x));
    const kl = tf.mean(tf.sum(stdNormalKLPerDim(mu, logvar), 1));
    return nll.add(kl) as tf.Scalar;
  };
  return {
    label: 'VAE train step',
    batch,
    flops: 3 * 2 * batch * (d * h + 2 * h * k + k * h + h * d) - 2 * batch * d * h,
    run: () => settle(opt.minimize(loss, true)),
    runAsync: () => settleAsync(opt.minimize(loss, true)),
    dispose: () => {
      opt.dispose();
      for (const l of layers) (l.w.dispose(), l.b.dispose());
      x.dispose();
    },
  };
}

/**
 * One training step of a small MNIST CNN (TensorFlow's "Deep MNIST for experts" layout): 5×5 convolution to 32
 * channels with bias and ReLU, 2×2 max pool, 5×5 convolution to 64, pool, dense 3136 → 256 ReLU → 10, softmax
 * cross-entropy, Adam. The convolutions are `tf.fused.conv2d` (bias and ReLU fused), as `tf.layers.conv2d` runs them.
 */
export function cnnStep(batch = 100): BenchStep {
  const conv = (k: number, cin: number, cout: number, seed: number): { w: tf.Variable; b: tf.Variable } => ({
    w: owned(tf.randomNormal([k, k, cin, cout], 0, Math.sqrt(2 / (k * k * cin)), 'float32', seed)),
    b: owned(tf.zeros([cout])),
  });
  const [c1, c2, d1, d2] = [conv(5, 1, 32, 21), conv(5, 32, 64, 22), dense(3136, 256, 23), dense(256, 10, 24)] as const;
  const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 25) as tf.Tensor4D;
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 26) as tf.Tensor1D, 10).toFloat());
  const opt = tf.train.adam(1e-3);
  const block = (t: tf.Tensor4D, l: { w: tf.Variable; b: tf.Variable }): tf.Tensor4D =>
    tf.maxPool(tf.fused.conv2d({ x: t, filter: l.w as tf.Tensor4D, strides: 1, pad: 'same', bias: l.b, activation: 'relu' }), 2, 2, 'valid');
  const loss = (): tf.Scalar => {
    const h = tf.reshape(block(block(x, c1), c2), [batch, 3136]) as tf.Tensor2D;
    return tf.mean(softmaxCrossEntropyRows(apply(apply(h, d1, true), d2, false), y)) as tf.Scalar;
  };
  // per image: the convolutions' products (output positions × fields × filters) and the dense layers'
  const fwd = 2 * batch * (28 * 28 * 25 * 32 + 14 * 14 * 800 * 64 + 3136 * 256 + 256 * 10);
  return {
    label: 'CNN train step (MNIST, two 5×5 convolutions)',
    batch,
    // forward + dX + dW per layer, less dX of the first convolution (the images need none): 6.75 GFLOP at batch 100
    flops: 3 * fwd - 2 * batch * 28 * 28 * 25 * 32,
    run: () => settle(opt.minimize(loss, true)),
    runAsync: () => settleAsync(opt.minimize(loss, true)),
    dispose: () => {
      opt.dispose();
      for (const l of [c1, c2, d1, d2]) (l.w.dispose(), l.b.dispose());
      x.dispose();
      y.dispose();
    },
  };
}

import * as tf from '@tensorflow/tfjs';

/**
 * A small CNN through the convolution kernels of the tiers: a 3×3 convolution to 32 channels (27 fields: the plain
 * products) with bias and ReLU, a 2×2 max pool (windows apart), a 3×3 convolution to 16 channels (288 fields: the
 * transposed products), pool, dense to 10 classes; three Adam steps on 6 images of 12×12×3 on the active backend.
 * @returns every weight after the steps, and the logits
 */
export function trainCnn(): Float32Array {
  return tf.tidy(() => {
    const v = (shape: number[], seed: number, scale: number) => tf.variable(tf.randomNormal(shape, 0, scale, 'float32', seed));
    const [f1, b1, f2, b2, w] = [v([3, 3, 3, 32], 11, 0.3), v([32], 12, 0.1), v([3, 3, 32, 16], 13, 0.1), v([16], 14, 0.1), v([144, 10], 15, 0.1)];
    const x = tf.randomUniform([6, 12, 12, 3], 0, 1, 'float32', 16) as tf.Tensor4D;
    const y = tf.oneHot(tf.tensor1d([0, 3, 5, 7, 9, 1], 'int32'), 10).toFloat();
    const opt = tf.train.adam(0.01);
    const block = (t: tf.Tensor4D, f: tf.Variable, b: tf.Variable): tf.Tensor4D =>
      tf.maxPool(tf.relu(tf.add(tf.conv2d(t, f as tf.Tensor4D, 1, 'same'), b)) as tf.Tensor4D, 2, 2, 'valid');
    const logits = (): tf.Tensor => tf.matMul(tf.reshape(block(block(x, f1, b1), f2, b2), [6, 144]), w as tf.Tensor2D);
    for (let i = 0; i < 3; i++) opt.minimize(() => tf.losses.softmaxCrossEntropy(y, logits()) as tf.Scalar);
    const out = Float32Array.from([f1, b1, f2, b2, w, logits()].flatMap((t) => [...t.dataSync()]));
    opt.dispose();
    tf.dispose([f1, b1, f2, b2, w]);
    return out;
  });
}

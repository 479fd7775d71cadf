import * as tf from '@tensorflow/tfjs';

/**
 * A VIB-shaped model big enough that XNNPACK splits its matmuls into many tiles (64 × 301 → 257 ReLU →
 * μ, log σ² of 33 → 10 classes), trained three Adam steps with a fixed ε; returns every weight and the logits.
 */
export function trainThree(): Float32Array {
  return tf.tidy(() => {
    const v = (shape: [number, number] | [number], seed: number) => tf.variable(tf.randomNormal(shape, 0, 0.1, 'float32', seed));
    const [w1, b1, wm, wv, w2] = [v([301, 257], 1), v([257], 2), v([257, 33], 3), v([257, 33], 4), v([33, 10], 5)];
    const x = tf.randomNormal([64, 301], 0, 1, 'float32', 6) as tf.Tensor2D;
    const eps = tf.randomNormal([64, 33], 0, 1, 'float32', 7);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => (i * 7) % 10), 'int32'), 10).toFloat();
    const opt = tf.train.adam(0.01);
    const logits = () => {
      const h = tf.relu(tf.matMul(x, w1 as tf.Tensor2D).add(b1));
      const mu = tf.matMul(h, wm as tf.Tensor2D);
      const logvar = tf.matMul(h, wv as tf.Tensor2D);
      return { z: tf.matMul(mu.add(tf.exp(logvar.mul(0.5)).mul(eps)), w2 as tf.Tensor2D), mu, logvar };
    };
    for (let i = 0; i < 3; i++) {
      opt.minimize(() => {
        const { z, mu, logvar } = logits();
        const kl = tf.mean(tf.sum(tf.exp(logvar).add(mu.square()).sub(logvar).sub(1).mul(0.5), 1));
        return tf.losses.softmaxCrossEntropy(y, z).add(kl.mul(1e-3)) as tf.Scalar;
      });
    }
    const out = Float32Array.from([w1, b1, wm, wv, w2, logits().z].flatMap((t) => [...t.dataSync()]));
    opt.dispose();
    tf.dispose([w1, b1, wm, wv, w2]);
    return out;
  });
}


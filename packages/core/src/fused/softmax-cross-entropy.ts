import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNELS, hasFusedKernel, runFused } from './fused-op.js';

const rank2Pair = (a: tf.Tensor, b: tf.Tensor): boolean => a.rank === 2 && a.shape.join() === b.shape.join();

/**
 * dy·(softmax(logits)·Σ labels − labels): the logits gradient of {@link softmaxCrossEntropyRows}.
 * @param dy - upstream gradient [B]
 * @param logits - [B,C]
 * @param labels - [B,C]
 * @returns the gradient [B,C]
 */
function logitsGrad(dy: tf.Tensor, logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  if (hasFusedKernel(FUSED_KERNELS.softmaxCrossEntropyGrad, [dy, logits, labels])) {
    return runFused(FUSED_KERNELS.softmaxCrossEntropyGrad, { dy, logits, labels });
  }
  return tf.tidy(() => {
    const d = tf.expandDims(dy, -1);
    return tf.mul(d, tf.sub(tf.mul(tf.softmax(logits), tf.sum(labels, -1, true)), labels));
  });
}

/**
 * Softmax cross-entropy per row, −Σ_c labels·log softmax(logits): −log q(y|z) for one-hot labels. On a backend
 * with the fused `VibSoftmaxCrossEntropy` kernel it is one kernel forward and one backward
 * (dy·(softmax·Σ labels − labels)); elsewhere the stock composition through `tf.logSoftmax`.
 * @param logits - [B,C]
 * @param labels - one-hot (or probability) rows [B,C], float32
 * @returns [B], nats
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * softmaxCrossEntropyRows(tf.tensor2d([[0, 0]]), tf.tensor2d([[1, 0]])); // [log 2]
 * ```
 */
export function softmaxCrossEntropyRows(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  if (hasFusedKernel(FUSED_KERNELS.softmaxCrossEntropy, [logits, labels]) && rank2Pair(logits, labels)) {
    return runFused(FUSED_KERNELS.softmaxCrossEntropy, { logits, labels }, {
      save: ['logits', 'labels'],
      func: (dy, saved) => {
        const [x, t] = saved as [tf.Tensor, tf.Tensor];
        const g = dy as tf.Tensor;
        return { logits: () => logitsGrad(g, x, t), labels: () => tf.neg(tf.mul(tf.expandDims(g, -1), tf.logSoftmax(x))) };
      },
    });
  }
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), labels), -1)));
}

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { classificationScoreSums } from './classification-scores.js';
import { FUSED_KERNELS } from './fused-op.js';

const read = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('classificationScoreSums', () => {
  it('is −Σ log q(y|z) over the batch and the count of rows whose largest log-probability is at the label (cpu)', () => {
    tf.setBackend('cpu');
    const p = [[0.25, 0.7, 0.05], [0.45, 0.45, 0.1], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1]];
    const logLik = tf.log(tf.tensor2d(p));
    // row 1: right; row 2: a tie, which goes to class 0 as tf.argMax gives it (label 1: wrong); row 3: right; row 4:
    // label 3 is no class: nothing picked, never right
    const [nll, correct] = read(classificationScoreSums(logLik, tf.tensor1d([1, 1, 2, 3], 'int32')));
    expect(nll).toBeCloseTo(-(Math.log(0.7) + Math.log(0.45) + Math.log(0.7)), 5);
    expect(correct).toBe(2);
    // float32 labels holding the same classes count alike
    expect(read(classificationScoreSums(logLik, tf.tensor1d([1, 1, 2, 3])))).toEqual([nll, correct]);
  });

  it('names the shapes it needs', () => {
    tf.setBackend('cpu');
    expect(() => classificationScoreSums(tf.zeros([4]), tf.zeros([4]))).toThrow(/needs log-likelihoods \[B, C\] and labels \[B\], got \[4\] and \[4\]/);
    expect(() => classificationScoreSums(tf.zeros([4, 3]), tf.zeros([5]))).toThrow(/got \[4, 3\] and \[5\]/);
  });

  it('runs the backend\'s VibClassificationScores kernel where there is one, with the labels as float32', () => {
    tf.setBackend('cpu');
    const seen: string[] = [];
    tf.registerKernel({
      kernelName: FUSED_KERNELS.classificationScores,
      backendName: 'cpu',
      kernelFunc: ({ inputs, backend }) => {
        const { logLik, labels } = inputs as Record<string, tf.TensorInfo>;
        seen.push(`${logLik!.shape.join('×')} ${labels!.dtype}`);
        const cpu = backend as unknown as { makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo };
        return cpu.makeTensorInfo([2], 'float32', Float32Array.of(7, 8));
      },
    });
    try {
      const out = classificationScoreSums(tf.zeros([3, 4]), tf.tensor1d([0, 1, 2], 'int32'));
      expect(read(out)).toEqual([7, 8]);
      expect(seen).toEqual(['3×4 float32']);
      // one class: the stock ops, which refuse a one-hot of depth 1, as before
      expect(() => classificationScoreSums(tf.zeros([3, 1]), tf.tensor1d([0, 0, 0], 'int32'))).toThrow(/depth must be >=2/);
      expect(seen).toHaveLength(1);
    } finally {
      tf.unregisterKernel(FUSED_KERNELS.classificationScores, 'cpu');
    }
  });
});

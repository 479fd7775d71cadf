import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { buildVibModel } from '../model/build-vib-model.js';
import { decode, hidden } from '../model/forward.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { evaluate } from './evaluate.js';

const registry = testRegistry();
const dataset = toyDataset(10, 30);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('evaluate', () => {
  it('scores S codes by the mean of q(y|z_s), not the mean of logits, and the mean code deterministically', async () => {
    const config = parseExperimentConfig(
      { dataset: { name: 'toy' }, encoder: { hidden: [8] }, latentDim: 2, seed: 1, beta: 0.1 },
      registry,
    );
    const vm = buildVibModel(config, registry, dataset);
    // widen the posterior so that the two ways of averaging differ clearly
    const w = vm.bottleneck.getWeights();
    vm.bottleneck.setWeights(w.map((t, i) => (i === 3 ? tf.fill(t.shape, 3) : t)));
    const s = 16;
    const r = await evaluate(vm, dataset.test, { samples: s, seed: 9, batchSize: 1000 });
    const [probNll, logitNll] = tf.tidy(() => {
      const x = tf.tensor2d(dataset.test.x, [30, 6]);
      const y = tf.oneHot(tf.tensor1d(dataset.test.y, 'int32'), 2);
      const zs = vm.bottleneck.posterior(hidden(vm, x)).sample(s, 9);
      const logits = decode(vm, zs);
      const probs = tf.mean(tf.softmax(logits), 0);
      const viaProbs = tf.neg(tf.mean(tf.sum(tf.mul(tf.log(probs), y), -1)));
      const viaLogits = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(tf.mean(logits, 0)), y), -1)));
      return [viaProbs.dataSync()[0] ?? NaN, viaLogits.dataSync()[0] ?? NaN];
    });
    expect(r.multiSample.nllNats).toBeCloseTo(probNll, 4);
    expect(Math.abs(probNll - logitNll)).toBeGreaterThan(1e-3);
    const again = await evaluate(vm, dataset.test, { samples: s, seed: 10 });
    expect(again.mean).toEqual(r.mean);
    expect(again.multiSample.nllNats).not.toBe(r.multiSample.nllNats);
  });
});

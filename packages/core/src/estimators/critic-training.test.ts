import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { DataError } from '../errors/data-error.js';
import { SeededRandom } from '../random/seeded-random.js';
import { createRegistry } from '../registry/registry.js';
import { registerCore } from '../register.js';
import { information } from '../units/units.js';
import { estimateWithCritic } from './critic-training.js';
import { dvLowerBound } from './mine.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** n pairs of d-dimensional standard normals, each dimension of Y correlated ρ with the same dimension of X. */
function correlated(n: number, d: number, rho: number, seed: number) {
  const rng = new SeededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const [x, y] = [new Float32Array(n * d), new Float32Array(n * d)];
  for (let i = 0; i < n * d; i++) {
    const [a, b] = [normal(), normal()];
    x[i] = a;
    y[i] = rho * a + Math.sqrt(1 - rho * rho) * b;
  }
  return { x: { data: x, n, d }, y: { data: y, n, d } };
}

// I(X;Y) of correlated Gaussians: −½ log(1 − ρ²) nats per dimension (Cover & Thomas 2006, §8.5)
const truth = (d: number, rho: number) => -0.5 * d * Math.log(1 - rho * rho);

describe('estimateWithCritic: a critic trained with the estimator’s objective, the bound on held-out pairs', () => {
  const registry = createRegistry();
  registerCore(registry);
  const { x, y } = correlated(4000, 2, 0.8, 1);
  // small for a test's time: a 2-32-8 network per variable, B = 64 (InfoNCE's ceiling log 64 = 4.2 nats ≫ 1)
  const options = { steps: 600, batchSize: 64, hidden: [32], embedding: 8, seed: 3 };

  it.each(['infonce', 'nwj'])('%s recovers the MI of correlated Gaussians, −log(1 − 0.8²) = 1.022 nats', async (name) => {
    const r = await estimateWithCritic(registry, name, x, y, options);
    console.info(`[critic] ${name}: ${r.mi.nats.toFixed(4)} ± ${r.standardErrorNats.toFixed(4)} nats held out, ${r.trainNats.toFixed(4)} on training pairs; truth ${truth(2, 0.8).toFixed(4)}`);
    expect(truth(2, 0.8)).toBeCloseTo(1.0217, 4);
    expect(r.heldOutBatches).toBe(15); // 1,000 held-out pairs in batches of 64
    expect(r.mi.bits).toBeCloseTo(r.mi.nats / Math.LN2, 12);
    // a lower bound, trained briefly: below the truth by a little, never far above it
    expect(r.mi.nats).toBeGreaterThan(truth(2, 0.8) - 0.2);
    expect(r.mi.nats).toBeLessThan(truth(2, 0.8) + 4 * r.standardErrorNats + 0.05);
    if (name === 'infonce') expect(r.extraNats?.['ceiling']).toBeCloseTo(Math.log(64), 12);
  });

  it('gives about 0 for independent variables', async () => {
    const { x: a, y: b } = correlated(3000, 2, 0, 2);
    const r = await estimateWithCritic(registry, 'infonce', a, b, options);
    expect(Math.abs(r.mi.nats)).toBeLessThan(0.1);
  });

  it('takes a third party’s score estimator through the same seam: its objective trains the critic', async () => {
    let objectives = 0;
    registry.register('estimator', {
      name: 'dv-plain',
      description: 'Donsker–Varadhan bound with its plain minibatch gradient',
      input: 'scores',
      configSchema: { safeParse: (v: unknown) => ({ success: true, data: v }), parse: (v: unknown) => v } as never,
      estimate: (scores: tf.Tensor2D) => ({ mi: information(tf.tidy(() => dvLowerBound(scores).dataSync()[0] ?? NaN)) }),
      createObjective: () => {
        objectives++;
        return { loss: (scores: tf.Tensor2D) => tf.neg(dvLowerBound(scores)) as tf.Scalar };
      },
    } as never);
    const r = await estimateWithCritic(registry, 'dv-plain', x, y, options);
    expect(objectives).toBe(1);
    expect(r.mi.nats).toBeGreaterThan(truth(2, 0.8) - 0.25);
  });

  it('refuses an activation estimator, unpaired or too few samples, each naming what to do', async () => {
    await expect(estimateWithCritic(registry, 'binning', x, y)).rejects.toThrow(ConfigError);
    await expect(estimateWithCritic(registry, 'binning', x, y)).rejects.toThrow(/estimator "binning" reads layer activations, not critic scores: use one of infonce, nwj, js, mine/);
    await expect(estimateWithCritic(registry, 'infonce', x, { ...y, n: 3999, data: y.data.subarray(0, 3999 * 2) })).rejects.toThrow(/X has 4000 rows and Y 3999: the samples must be paired/);
    const small = correlated(300, 2, 0.5, 4);
    await expect(estimateWithCritic(registry, 'infonce', small.x, small.y)).rejects.toThrow(DataError);
    await expect(estimateWithCritic(registry, 'infonce', small.x, small.y)).rejects.toThrow(/300 pairs leave 225 to train on and 75 held out, fewer than a batch of B = 128/);
  });
});

import * as tf from '@tensorflow/tfjs';
import { createRegistry, DiagonalGaussian, DuplicatePluginError, type PriorEncoder } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStandaloneContext } from './config/standalone-context.js';
import { registerPriors } from './register.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('registerPriors', () => {
  it('registers exactly the six priors under kind "prior", and refuses to do it twice', () => {
    const registry = createRegistry();
    registerPriors(registry);
    expect(registry.names('prior')).toEqual(['standard-normal', 'learnable-normal', 'uniform', 'laplace', 'mixture-of-gaussians', 'vamp']);
    expect(registry.kinds()).toEqual(['prior']);
    expect(() => registerPriors(registry)).toThrow(DuplicatePluginError);
  });

  it('every prior builds from its schema defaults into a batch-1 distribution over K dims', () => {
    const registry = createRegistry();
    registerPriors(registry);
    for (const plugin of registry.list('prior')) {
      expect(plugin.posteriors.length).toBeGreaterThan(0);
      // priors built from the encoder get one: μ = first five inputs, unit variance
      const encoder: PriorEncoder = { inputShape: [7], inputsInUnitInterval: true, posterior: (x) => new DiagonalGaussian(tf.slice(x, [0, 0], [-1, 5]), tf.zerosLike(tf.slice(x, [0, 0], [-1, 5]))) };
      const ctx = createStandaloneContext(5, plugin.needsEncoder === true ? { encoder } : {});
      const r = plugin.create(plugin.configSchema.parse({}), ctx).distribution();
      expect([plugin.name, r.batchSize, r.eventSize]).toEqual([plugin.name, 1, 5]);
      const lp = r.logProb(tf.zeros([1, 5]));
      expect(Number.isFinite(lp.dataSync()[0])).toBe(true);
      lp.dispose();
      ctx.dispose();
    }
  });
});

import { createRegistry, mulberry32 } from '@vib/core';
import type { Dataset, DatasetPlugin, Registry } from '@vib/core';
import { registerControllers } from '@vib/layers';
import { registerPriors } from '@vib/priors';
import { z } from 'zod';
import { registerTasks } from '../register.js';

/** A dataset plugin stub so configs naming `toy` resolve in tests. */
const toyDatasetPlugin: DatasetPlugin<{ n: number }> = {
  name: 'toy',
  description: 'two Gaussian blobs (tests only)',
  configSchema: z.strictObject({ n: z.number().int().min(2).default(200) }),
  environments: ['node', 'browser'],
  load: async (config) => toyDataset(config.n, 50),
};

/**
 * A registry with the built-in priors, controllers and tasks, and the `toy` dataset (tests only).
 * @returns the registry
 */
export function testRegistry(): Registry {
  const registry = createRegistry();
  registerPriors(registry);
  registerControllers(registry);
  registerTasks(registry);
  registry.register('dataset', toyDatasetPlugin);
  return registry;
}


/**
 * Two classes in [0, 1]^D: class c's inputs are 0.3 + 0.4·c plus N(0, 0.15²) noise, clipped
 * (tests only; separable, so a classifier reaches high accuracy in a few epochs).
 * @param nTrain - training examples
 * @param nTest - test examples
 * @param d - input dimension
 * @returns the dataset
 */
export function toyDataset(nTrain: number, nTest: number, d = 6): Dataset {
  const rand = mulberry32(12345);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const split = (n: number) => {
    const x = new Float32Array(n * d);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 2;
      y[i] = c;
      for (let j = 0; j < d; j++) x[i * d + j] = Math.min(1, Math.max(0, 0.3 + 0.4 * c + 0.15 * gauss()));
    }
    return { x, y, n };
  };
  return { name: 'toy', inputShape: [d], numClasses: 2, inputsInUnitInterval: true, train: split(nTrain), test: split(nTest) };
}

import * as tf from '@tensorflow/tfjs';
import { DiagonalGaussian, EqualMixture } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from './wasm-backend.js';

beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
});

describe('@vib/core distributions on the wasm backend', () => {
  it('an equal mixture samples from its components (tfjs-wasm\'s OneHot writes int32 bits whatever dtype it is asked for)', () => {
    for (const backend of ['cpu', 'wasm']) {
      tf.setBackend(backend);
      const z = tf.tidy(() => {
        // two components far apart, σ = 0.1: every draw lies within 0.5 of 10 or of 20
        const components = new DiagonalGaussian(tf.tensor2d([[10, 10], [20, 20]]), tf.fill([2, 2], Math.log(0.01)));
        return Array.from(new EqualMixture(components).sample(64, 3).dataSync());
      });
      const near = (m: number) => z.filter((v) => Math.abs(v - m) < 0.5).length;
      expect(near(10) + near(20), `${backend}: draws near a component's mean`).toBe(z.length);
      // both components drawn (each pair of values is one draw: 32 draws, a fair choice each)
      expect(near(10), backend).toBeGreaterThan(8);
      expect(near(20), backend).toBeGreaterThan(8);
    }
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { testRegistry } from '../testing/fixtures.js';
import { buildVibModel } from './build-vib-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Standard deviation of the first encoder kernel of a model built with the given activation. */
function firstKernelStd(activation: 'relu' | 'tanh' | 'elu' | 'sigmoid', fanIn: number, fanOut: number): number {
  const registry = testRegistry();
  const config = parseExperimentConfig(
    { dataset: { name: 'toy' }, encoder: { hidden: [fanOut], activation }, latentDim: 2, beta: 0, seed: 3 },
    registry,
  );
  const vm = buildVibModel(config, registry, { inputShape: [fanIn], numClasses: 2 });
  const kernel = vm.encoderLayers[0]!.getWeights()[0]!;
  const std = tf.tidy(() => tf.moments(kernel).variance.sqrt().dataSync()[0] ?? NaN);
  vm.model.dispose();
  return std;
}

// 500 × 400 = 200,000 weights: the relative standard error of a sample std is about 1/√(2n) ≈ 0.16%,
// so a 2% tolerance is over 10 standard errors wide.
describe('hidden-layer initialization by activation', () => {
  // tfjs draws He-normal from a normal truncated at ±2σ, whose std is 0.8796σ with σ = √(2 / fan-in)
  const truncatedStd = Math.sqrt(1 - (4 * Math.exp(-2)) / Math.sqrt(2 * Math.PI) / 0.9544997361);

  for (const activation of ['relu', 'elu'] as const) {
    it(`${activation}: He-normal, std = 0.880 · √(2 / fan-in)`, () => {
      expect(truncatedStd).toBeCloseTo(0.8796, 3);
      const expected = truncatedStd * Math.sqrt(2 / 500);
      expect(Math.abs(firstKernelStd(activation, 500, 400) / expected - 1)).toBeLessThan(0.02);
    });
  }

  for (const activation of ['tanh', 'sigmoid'] as const) {
    it(`${activation}: Glorot-uniform, std = √(2 / (fan-in + fan-out))`, () => {
      const expected = Math.sqrt(2 / (500 + 400));
      expect(Math.abs(firstKernelStd(activation, 500, 400) / expected - 1)).toBeLessThan(0.02);
    });
  }
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/parse-experiment-config.js';
import { testRegistry, toyDataset } from '../testing/fixtures.js';
import { buildVibModel } from './build-vib-model.js';
import { decodePrediction, interpolateCodes, interpolateInputs, sampleFromPrior } from './generate.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('interpolateCodes', () => {
  it('follows (1 − α)z₁ + αz₂ and z₁·cos θ + z₂·sin θ', () => {
    const z1 = tf.tensor1d([2, 0]);
    const z2 = tf.tensor1d([0, 2]);
    const lin = interpolateCodes(z1, z2, 3, 'linear').arraySync() as number[][];
    expect(lin[1]?.[0]).toBeCloseTo(1, 6);
    expect(lin[1]?.[1]).toBeCloseTo(1, 6);
    const sph = interpolateCodes(z1, z2, 3, 'spherical').arraySync() as number[][];
    expect(sph[1]?.[0]).toBeCloseTo(2 * Math.cos(Math.PI / 4), 5);
    // the spherical path keeps the norm of orthogonal equal-norm codes
    for (const row of sph) expect(Math.hypot(row[0] ?? 0, row[1] ?? 0)).toBeCloseTo(2, 5);
    expect(sph[2]?.[1]).toBeCloseTo(2, 5);
    expect(() => interpolateCodes(z1, z2, 1, 'linear')).toThrow(/steps/);
  });
});

describe('sampleFromPrior and interpolateInputs', () => {
  it('decode prior draws into Bernoulli means, and paths that start and end at the inputs\' codes', () => {
    const registry = testRegistry();
    const data = toyDataset(4, 4);
    const config = parseExperimentConfig(
      { dataset: { name: 'toy' }, task: { name: 'reconstruction', config: { hidden: [4] } }, latentDim: 2, encoder: { hidden: [4] } },
      registry,
    );
    const vm = buildVibModel(config, registry, data);
    const { z, decoded } = sampleFromPrior(vm, 5, 1);
    expect(z.shape).toEqual([5, 2]);
    expect(decoded.shape).toEqual([5, 6]);
    const v = Array.from(decoded.dataSync());
    expect(Math.min(...v)).toBeGreaterThan(0);
    expect(Math.max(...v)).toBeLessThan(1);
    const x1 = tf.tensor2d(data.test.x.subarray(0, 6), [1, 6]);
    const x2 = tf.tensor2d(data.test.x.subarray(6, 12), [1, 6]);
    const path = interpolateInputs(vm, x1, x2, 4, 'spherical');
    const direct = vm.model.predict(x1) as tf.Tensor;
    const first = tf.slice(path.decoded, [0, 0], [1, 6]);
    expect(tf.max(tf.abs(tf.sub(first, direct))).dataSync()[0]).toBeLessThan(1e-6);
    const zEnd = tf.slice(path.z, [3, 0], [1, 2]);
    const end = decodePrediction(vm, zEnd);
    expect(tf.max(tf.abs(tf.sub(end, vm.model.predict(x2) as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-5);
  });
});

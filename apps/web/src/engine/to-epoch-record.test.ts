import { DataError } from '@vib/core';
import type { EpochMetrics } from '@vib/tasks';
import { describe, expect, it } from 'vitest';
import { toEpochRecord } from './to-epoch-record.js';

const metrics: EpochMetrics = {
  epoch: 2, loss: 0.9, taskLoss: 0.8, trainAccuracy: 0.7, testAccuracy: 0.65, testSampledAccuracy: 0.66, testLoss: 0.85, reconstructionNats: null,
  testRateBits: 2.1, testIzyBits: 2.2,
  rateNats: 2 * Math.LN2, rateBits: 2, rateExact: true, izyNats: 1.5, izyBits: 1.5 / Math.LN2, beta: 0.01, controllerState: { beta: 0.01 },
  klPerDimNats: [1, 0.386], learningRate: 1e-3, seconds: 1.2,
};

describe('toEpochRecord', () => {
  it('passes the model\'s numbers through unchanged', () => {
    const r = toEpochRecord(metrics, [{ layer: 'layer 1', ixtBits: 3, ityBits: 0.5 }]);
    expect(r).toEqual({
      epoch: 2, loss: 0.9, trainAccuracy: 0.7, testAccuracy: 0.65, rateNats: 2 * Math.LN2, rateBits: 2, rateExact: true, izyNats: 1.5,
      izyBits: 1.5 / Math.LN2, beta: 0.01, klPerDimNats: [1, 0.386], layers: [{ layer: 'layer 1', ixtBits: 3, ityBits: 0.5 }],
    });
  });
  it('refuses metrics of a reconstruction run, which have no accuracy', () => {
    expect(() => toEpochRecord({ ...metrics, testAccuracy: null, izyNats: null, izyBits: null })).toThrow(DataError);
  });
});

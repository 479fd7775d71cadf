import { describe, expect, it } from 'vitest';
import type { EpochRecord } from '../metrics/epoch-record.js';
import { infoPlaneData, pointsAtCeiling } from './info-plane.js';

const record = (epoch: number, layers?: EpochRecord['layers']): EpochRecord => ({
  epoch,
  loss: 1,
  trainAccuracy: 0.5,
  testAccuracy: 0.5,
  rateNats: 2,
  rateBits: 2 / Math.LN2,
  rateExact: true,
  izyNats: 0.5,
  izyBits: 0.5 / Math.LN2,
  beta: 0.01,
  klPerDimNats: [2],
  ...(layers === undefined ? {} : { layers }),
});

describe('the information plane of the web demo', () => {
  it('takes the I(X;T) ceiling log2 n from the inputs its layer estimates were made on, and counts the points at it', () => {
    const data = infoPlaneData([
      record(1, [{ layer: 'h1', ixtBits: 12, ityBits: 0.9, inputs: 4096 }, { layer: 'h2', ixtBits: 12 - 1e-9, ityBits: 0.8, inputs: 4096 }]),
      record(2, [{ layer: 'h1', ixtBits: 11.5, ityBits: 0.95, inputs: 4096 }, { layer: 'h2', ixtBits: 12 - 1e-3, ityBits: 0.9, inputs: 4096 }]),
    ]);
    expect(data.ixtCeilingBits).toBe(12);
    // 12 and 12 − 10⁻⁹ are at it; 11.5 and 12 − 10⁻³ are not; the bottleneck's rate bound is never counted
    expect(pointsAtCeiling(data)).toBe(2);
  });

  it('has no ceiling where no layer estimates are drawn, or in records made before they carried their inputs', () => {
    expect(infoPlaneData([record(1), record(2)]).ixtCeilingBits).toBeUndefined();
    const old = infoPlaneData([record(1, [{ layer: 'h1', ixtBits: 12, ityBits: 0.9 }])]);
    expect(old.ixtCeilingBits).toBeUndefined();
    expect(pointsAtCeiling(old)).toBe(0);
  });
});

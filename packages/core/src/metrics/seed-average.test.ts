import { describe, expect, it } from 'vitest';
import { averageTrajectories } from './seed-average.js';

describe('averageTrajectories', () => {
  it('is the per-epoch mean over seeds with the sample standard deviation, per layer', () => {
    const pts = [
      // layer a: seeds 0, 1, 2 at epochs 1 and 5
      { layer: 'a', seed: 0, epoch: 1, ixtBits: 1, ityBits: 0.1 },
      { layer: 'a', seed: 1, epoch: 1, ixtBits: 2, ityBits: 0.2 },
      { layer: 'a', seed: 2, epoch: 1, ixtBits: 6, ityBits: 0.6 },
      { layer: 'a', seed: 0, epoch: 5, ixtBits: 4, ityBits: 1 },
      { layer: 'a', seed: 2, epoch: 5, ixtBits: 4, ityBits: 1 },
      { layer: 'a', seed: 1, epoch: 5, ixtBits: 4, ityBits: 1 },
      // layer b: one seed
      { layer: 'b', seed: 0, epoch: 5, ixtBits: 9, ityBits: 0.9 },
    ];
    const avg = averageTrajectories(pts, ['layer']);
    expect(avg.map((p) => [p.layer, p.epoch, p.seeds])).toEqual([['a', 1, 3], ['a', 5, 3], ['b', 5, 1]]);
    // epoch 1: mean of 1, 2, 6 = 3; deviations −2, −1, 3: Σ² = 14, sd = √(14/2) = √7
    expect(avg[0]?.ixtBits).toBe(3);
    expect(avg[0]?.ixtSdBits).toBeCloseTo(Math.sqrt(7), 12);
    expect(avg[0]?.ityBits).toBeCloseTo(0.3, 12);
    expect(avg[0]?.itySdBits).toBeCloseTo(Math.sqrt(7) / 10, 12);
    // identical seeds: no spread; one seed: spread 0 by definition
    expect([avg[1]?.ixtBits, avg[1]?.ixtSdBits, avg[1]?.itySdBits]).toEqual([4, 0, 0]);
    expect([avg[2]?.ixtBits, avg[2]?.ixtSdBits]).toEqual([9, 0]);
    expect(avg[0]).not.toHaveProperty('seed');
  });
});

import { describe, expect, it } from 'vitest';
import type { InfoPlanePoint } from '../plots/infoplane-plot.js';
import { ceilingLines, ixtCeiling } from './ixt-ceiling.js';

const point = (split: string, estimator: string, ixtBits: number): InfoPlanePoint => ({ activation: 'tanh', estimator, split, layer: 'h1', seed: 0, epoch: 1, ixtBits, ityBits: 0.5 });

describe('ixtCeiling', () => {
  it('counts, per split and estimator, the points whose I(X;T) is log2 n (to 1e-6 bits), n being the split\'s inputs', () => {
    const points = [
      point('all', 'binning (bins=30)', 12),
      point('all', 'binning (bins=30)', 12 - 1e-9),
      point('all', 'binning (bins=30)', 12 - 1e-3),
      point('all', 'kde-upper', 11.2),
      point('train', 'binning (bins=30)', Math.log2(3277)),
      point('train', 'kde-upper', 12), // above the train split's ceiling, still counted as at it
    ];
    const got = ixtCeiling(points, new Map([['all', 4096], ['train', 3277], ['test', 819]]));
    expect(got).toEqual([
      { split: 'all', inputs: 4096, bits: 12, atCeiling: 2, points: 4, byEstimator: { 'binning (bins=30)': 2, 'kde-upper': 0 } },
      { split: 'train', inputs: 3277, bits: Math.log2(3277), atCeiling: 2, points: 2, byEstimator: { 'binning (bins=30)': 1, 'kde-upper': 1 } },
    ]);
  });

  it('prints a line only for splits with points at the ceiling, naming n, the bits and the estimators that reached it', () => {
    const summary = ixtCeiling([point('all', 'binning (bins=30)', 12), point('all', 'kde-upper', 3), point('test', 'kde-upper', 2)], new Map([['all', 4096], ['test', 819]]));
    const lines = ceilingLines(summary);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^all: I\(X;T\) at its ceiling log2 4,096 = 12\.00 bits in 1 of 2 points \(binning \(bins=30\): 1\); there every input has a bin or kernel of its own/);
    expect(ceilingLines(ixtCeiling([point('all', 'kde-upper', 3)], new Map([['all', 4096]])))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/seeded-random.js';
import { calibration } from './calibration.js';
import { aupr, auroc } from './ood-metrics.js';

describe('OOD metrics', () => {
  it('a small case by hand: in [1,2,3], out [2,4] gives AUROC 4.5/6 and AP 0.5·1 + 0.5·0.5', () => {
    expect(auroc([1, 2, 3], [2, 4])).toBeCloseTo(0.75, 12);
    expect(aupr([1, 2, 3], [2, 4])).toBeCloseTo(0.75, 12);
  });

  it('separable sets give 1 (and 0 for AUROC when the score points the wrong way)', () => {
    expect(auroc([0.1, 0.2, 0.3], [0.5, 0.9])).toBe(1);
    expect(aupr([0.1, 0.2, 0.3], [0.5, 0.9])).toBe(1);
    expect(auroc([0.5, 0.9], [0.1, 0.2, 0.3])).toBe(0);
  });

  it('identical distributions give AUROC ≈ 0.5 and AUPR ≈ the positives\' share', () => {
    const rand = mulberry32(7);
    const draw = (n: number) => Float64Array.from({ length: n }, () => rand());
    const a = draw(2000);
    const b = draw(1000);
    // under the null, SD of AUROC = sqrt((n+m+1)/(12nm)) ≈ 0.0112; 0.04 is > 3.5 SD
    expect(Math.abs(auroc(a, b) - 0.5)).toBeLessThan(0.04);
    expect(Math.abs(aupr(a, b) - 1 / 3)).toBeLessThan(0.05);
    // all tied: exactly chance
    expect(auroc([1, 1, 1], [1, 1])).toBe(0.5);
  });

  it('refuses empty sets and non-finite scores, naming them', () => {
    expect(() => auroc([], [1])).toThrow(/0 in-distribution and 1 out-of-distribution/);
    expect(() => aupr([1, NaN], [1])).toThrow(/score 1 is NaN/);
  });
});

describe('calibration', () => {
  it('a small case by hand: ECE 0.4, MCE 0.4', () => {
    const r = calibration([0.9, 0.9, 0.6, 0.6], [1, 0, 1, 1], 10);
    expect(r.ece).toBeCloseTo(0.4, 12);
    expect(r.mce).toBeCloseTo(0.4, 12);
    expect(r.bins[9]).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(r.bins[6]).toMatchObject({ count: 2, accuracy: 1 });
    expect(r.bins[0]!.confidence).toBeNull();
  });

  it('a perfectly calibrated predictor has ECE ≈ 0 (correct with probability equal to its confidence)', () => {
    const rand = mulberry32(3);
    const conf: number[] = [];
    const ok: boolean[] = [];
    for (let i = 0; i < 20000; i++) {
      const c = 0.1 + 0.9 * rand();
      conf.push(c);
      ok.push(rand() < c);
    }
    // each of 15 bins holds ~1,300 draws: the sampling error of a bin's accuracy is ≤ 0.014
    expect(calibration(conf, ok).ece).toBeLessThan(0.02);
    expect(calibration([1], [true]).bins.at(-1)!.count).toBe(1);
  });
});

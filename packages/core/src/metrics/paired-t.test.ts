import { describe, expect, it } from 'vitest';
import { pairedTTest, regularizedBeta } from './paired-t.js';

describe('pairedTTest', () => {
  it('differences [1,2,3,4]: t = 2.5/(√(5/3)/2) = 3.873 with df 3, p = 0.030466 (numerical integration of the t density)', () => {
    const r = pairedTTest([1, 2, 3, 4], [0, 0, 0, 0]);
    expect(r.t).toBeCloseTo(3.872983346, 8);
    expect(r.df).toBe(3);
    expect(r.p).toBeCloseTo(0.0304663, 6);
  });

  it('df = 1 is the Cauchy distribution: |t| = 1 gives p = 0.5 exactly; the sign of the gap does not change p', () => {
    // differences [0, 2]: mean 1, sd √2, SE 1, t = 1
    const r = pairedTTest([1, 3], [1, 1]);
    expect(r.t).toBeCloseTo(1, 12);
    expect(r.p).toBeCloseTo(0.5, 10);
    expect(pairedTTest([1, 1], [1, 3]).p).toBeCloseTo(0.5, 10);
  });

  it('identical samples give p = 1; a constant non-zero gap gives p = 0; too few pairs are refused', () => {
    expect(pairedTTest([1, 2], [1, 2]).p).toBe(1);
    expect(pairedTTest([2, 3], [1, 2]).p).toBe(0);
    expect(() => pairedTTest([1], [2])).toThrow(/at least 2 pairs/);
    // a NaN gave an all-NaN result, read as "within the noise"
    expect(() => pairedTTest([1, Number.NaN, 3], [2, 3, 4])).toThrow('a paired t-test of a[1] = NaN has no meaning: every measurement must be finite (a failed run\'s NaN?)');
  });

  it('refuses arguments outside the domain of I_x(a, b) (it returned NaN, or 1 for x = 2)', () => {
    expect(() => regularizedBeta(0.5, -1, 1)).toThrow('regularizedBeta(x = 0.5, a = -1, b = 1): needs x in [0, 1] and finite a, b > 0');
    expect(() => regularizedBeta(2, 1, 1)).toThrow(/needs x in \[0, 1\]/);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });

  it('I_x(a, 1) = x^a and I_x(1, b) = 1 − (1−x)^b (closed forms)', () => {
    expect(regularizedBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 12);
    expect(regularizedBeta(0.7, 1, 3.5)).toBeCloseTo(1 - 0.3 ** 3.5, 12);
  });
});

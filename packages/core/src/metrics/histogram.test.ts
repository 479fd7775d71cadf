import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { histogram, quantile } from './histogram.js';

describe('histogram', () => {
  it('counts values in equal-width bins from min to max, the maximum in the last bin', () => {
    expect(histogram([0, 1, 1, 2, 4], 2)).toEqual({ edges: [0, 2, 4], counts: [3, 2], min: 0, max: 4 });
    expect(histogram([0.5, 1.5, 2.5, 3.5, 4], 4)).toEqual({ edges: [0.5, 1.375, 2.25, 3.125, 4], counts: [1, 1, 1, 2], min: 0.5, max: 4 });
    expect(histogram([7, 7, 7], 5)).toEqual({ edges: [7, 7], counts: [3], min: 7, max: 7 });
  });
  it('refuses what it cannot bin, naming the value', () => {
    expect(() => histogram([], 3)).toThrow(ConfigError);
    expect(() => histogram([1, NaN], 3)).toThrow(/finite, got NaN at index 1/);
    expect(() => histogram([1], 0)).toThrow(/positive integer, got 0/);
  });
});

describe('quantile', () => {
  it('interpolates between order statistics (NumPy\'s default)', () => {
    expect(quantile([3, 1, 2, 10], 0.5)).toBe(2.5);
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([0, 10], 0.3)).toBe(3);
    expect(() => quantile([1], 1.5)).toThrow(/\[0, 1\], got 1.5/);
    // a NaN sorted anywhere and the median of [1, NaN, 3] came out NaN
    expect(() => quantile([1, Number.NaN, 3], 0.5)).toThrow('a quantile of values with NaN at index 1 has no meaning: drop or fix that value');
  });
});

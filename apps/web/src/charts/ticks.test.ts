import { describe, expect, it } from 'vitest';
import { extent, formatTick, niceTicks } from './ticks.js';

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 × 10ⁿ and stays inside the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
    expect(niceTicks(-3, 47, 5)).toEqual([0, 10, 20, 30, 40]);
  });
  it('extent pads a span and widens a single value', () => {
    expect(extent([2, 4], 0.5)).toEqual([1, 5]);
    expect(extent([3], 0)).toEqual([2.5, 3.5]);
    expect(extent([Number.NaN])).toEqual([0, 1]);
  });
  it('formats small and large ticks compactly', () => {
    expect(formatTick(0.25)).toBe('0.25');
    expect(formatTick(20000)).toBe('2e+4');
  });
});

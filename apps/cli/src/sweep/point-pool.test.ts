import { describe, expect, it } from 'vitest';
import { poolThreads } from './point-pool.js';

describe('poolThreads', () => {
  it('shares the cores among the processes so processes × threads never exceeds them, at least 1 each', () => {
    expect([poolThreads(1, 2), poolThreads(2, 2), poolThreads(3, 2), poolThreads(2, 16), poolThreads(3, 16)]).toEqual([2, 1, 1, 8, 5]);
  });
});

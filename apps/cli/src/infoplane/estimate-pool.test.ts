import { describe, expect, it } from 'vitest';
import { estimateProcesses, POOLED_INPUTS } from './estimate-pool.js';

describe('estimateProcesses', () => {
  it('as many as --jobs asks; else one per core from 1,024 inputs on two cores or more, unless binning is all', () => {
    expect(POOLED_INPUTS).toBe(1024);
    const kde = ['binning', 'kde-upper'];
    expect([estimateProcesses(4096, kde, undefined, 2), estimateProcesses(1024, ['my-knn'], undefined, 4), estimateProcesses(1023, kde, undefined, 2), estimateProcesses(4096, kde, undefined, 1)]).toEqual([2, 4, 0, 0]);
    expect(estimateProcesses(4096, ['binning'], undefined, 2)).toBe(0);
    expect([estimateProcesses(4096, kde, 0, 2), estimateProcesses(10, ['binning'], 3, 1)]).toEqual([0, 3]);
  });
});

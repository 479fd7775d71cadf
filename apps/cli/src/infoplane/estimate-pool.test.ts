import { describe, expect, it } from 'vitest';
import { estimateProcesses, POOLED_INPUTS } from './estimate-pool.js';

describe('estimateProcesses', () => {
  it('as many as --jobs asks; else one per core from 1,024 inputs on two cores or more, else none', () => {
    expect(POOLED_INPUTS).toBe(1024);
    expect([estimateProcesses(4096, undefined, 2), estimateProcesses(1024, undefined, 4), estimateProcesses(1023, undefined, 2), estimateProcesses(4096, undefined, 1)]).toEqual([2, 4, 0, 0]);
    expect([estimateProcesses(4096, 0, 2), estimateProcesses(10, 3, 1)]).toEqual([0, 3]);
  });
});

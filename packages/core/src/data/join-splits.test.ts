import { describe, expect, it } from 'vitest';
import { joinSplits } from './join-splits.js';

describe('joinSplits', () => {
  it('puts b after a, copying inputs, labels and (when both have them) targets', () => {
    const a = { x: new Float32Array([1, 2, 3, 4]), y: new Int32Array([0, 1]), n: 2, targets: new Float32Array([9, 8]) };
    const b = { x: new Float32Array([5, 6]), y: new Int32Array([1]), n: 1, targets: new Float32Array([7]) };
    const j = joinSplits(a, b);
    expect([Array.from(j.x), Array.from(j.y), j.n, Array.from(j.targets ?? [])]).toEqual([[1, 2, 3, 4, 5, 6], [0, 1, 1], 3, [9, 8, 7]]);
    j.x[0] = -1;
    expect(a.x[0]).toBe(1);
    expect(joinSplits(a, { x: b.x, y: b.y, n: 1 }).targets).toBeUndefined();
    expect(joinSplits({ x: new Float32Array(0), y: new Int32Array(0), n: 0 }, b).x).toEqual(b.x);
  });

  it('refuses splits of different input widths', () => {
    expect(() => joinSplits({ x: new Float32Array(4), y: new Int32Array(2), n: 2 }, { x: new Float32Array(3), y: new Int32Array(1), n: 1 })).toThrow(/width 2 and 3/);
  });
});

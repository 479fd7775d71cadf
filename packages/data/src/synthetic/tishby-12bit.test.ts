import { describe, expect, it } from 'vitest';
import { icosahedronVertices, tishby12BitDataset, tishbyPatterns, tishbyScore, TISHBY_THRESHOLD } from './tishby-12bit.js';

describe('tishby-12bit', () => {
  it('uses 12 unit vertices with the icosahedron angles (dot products ±1/√5 or −1)', () => {
    const v = icosahedronVertices();
    expect(v).toHaveLength(12);
    for (const a of v) {
      expect(Math.hypot(...a)).toBeCloseTo(1, 12);
      const dots = v.map((b) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!).sort((p, q) => p - q);
      expect(dots[0]).toBeCloseTo(-1, 12);
      expect(dots[11]).toBeCloseTo(1, 12);
      for (const d of dots.slice(1, 11)) expect(Math.abs(d)).toBeCloseTo(1 / Math.sqrt(5), 12);
    }
  });
  it('scores: all bits on sums to 0, one bit gives 1, antipodal pair 0', () => {
    const v = icosahedronVertices();
    expect(tishbyScore(new Array(12).fill(1), v)).toBeCloseTo(0, 12);
    expect(tishbyScore([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], v)).toBeCloseTo(1, 12);
  });
  it('is deterministic, covers all 4096 patterns once, and is balanced (2036 positives)', () => {
    const a = tishbyPatterns();
    const b = tishbyPatterns();
    expect(a.n).toBe(4096);
    expect([...a.y]).toEqual([...b.y]);
    const keys = new Set<number>();
    for (let m = 0; m < a.n; m++) keys.add(a.x.subarray(m * 12, m * 12 + 12).reduce((s, bit, i) => s + bit * 2 ** i, 0));
    expect(keys.size).toBe(4096);
    const positives = a.y.reduce((s, y) => s + y, 0);
    expect(positives).toBe(2036);
    // the threshold sits in a gap of the score's values, so rounding cannot flip a label
    const v = icosahedronVertices();
    for (let m = 0; m < a.n; m++) expect(Math.abs(tishbyScore(a.x.subarray(m * 12, m * 12 + 12), v) - TISHBY_THRESHOLD)).toBeGreaterThan(0.25);
  });
  it('has a fixed split 3277/819 and the label is invariant under a symmetry (x → complement is v → −v)', async () => {
    const d = await tishby12BitDataset.load({});
    expect(d.train.n).toBe(3277);
    expect(d.test.n).toBe(819);
    expect(d.numClasses).toBe(2);
    const again = await tishby12BitDataset.load({});
    expect([...again.test.y]).toEqual([...d.test.y]);
    // complement: Σ(1−xᵢ)vᵢ = −Σxᵢvᵢ because Σvᵢ = 0, so f and the label are unchanged
    const all = tishbyPatterns();
    for (let m = 0; m < 4096; m += 97) expect(all.y[4095 - m]).toBe(all.y[m]);
  });
});

import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { scoreHistogramSpec } from './score-histogram-spec.js';

describe('scoreHistogramSpec', () => {
  it('draws one bar per bin and a rule at the marked score, the axis stretched to show a score beyond the bins', () => {
    const s = scoreHistogramSpec({ edges: [0, 1, 2], counts: [5, 3] }, { scoreTitle: 'rate, bits', countTitle: 'training digits', marked: { value: 4, label: 'your digit' } });
    expect((s.layer[0] as { data: { values: unknown[] } }).data.values).toEqual([{ lo: 0, hi: 1, count: 5 }, { lo: 1, hi: 2, count: 3 }]);
    expect((s.layer[1] as { data: { values: { value: number }[] } }).data.values[0]?.value).toBe(4);
    const vg = compile(s as never).spec;
    const xs = (vg.scales ?? []).filter((sc) => sc.name === 'x') as { domain: number[] }[];
    expect(xs).toHaveLength(1);
    expect(xs[0]?.domain[0]).toBeLessThan(0);
    expect(xs[0]?.domain[1]).toBeGreaterThan(4);
  });
});

import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { infoPlaneGridSpec } from './info-plane-grid-spec.js';

describe('infoPlaneGridSpec', () => {
  const pts = [
    { column: 'tanh', layer: 'layer 1', epoch: 1, ixtBits: 9, ityBits: 0.2, ixtSdBits: 0.5, itySdBits: 0.05 },
    { column: 'tanh', layer: 'layer 1', epoch: 4, ixtBits: 11, ityBits: 0.9, ixtSdBits: 0.25, itySdBits: 0 },
    { column: 'relu', layer: 'layer 1', epoch: 4, ixtBits: 7, ityBits: 0.8 },
  ];
  it('draws ± 1 sd bars around each mean point, and fixes both axes of every panel to [0, max]', () => {
    const s = infoPlaneGridSpec(pts, { ixtMaxBits: 12, ityMaxBits: 1 });
    expect(s.data.values.map((v) => [v.ixtLo, v.ixtHi, v.ityLo, v.ityHi])).toEqual([[8.5, 9.5, 0.2 - 0.05, 0.25], [10.75, 11.25, 0.9, 0.9], [7, 7, 0.8, 0.8]]);
    expect(s.spec.encoding.x.scale).toEqual({ domain: [0, 12], nice: false });
    expect(s.spec.encoding.y.scale).toEqual({ domain: [0, 1], nice: false });
  });
  it('compiles to one shared x and one shared y scale across the tanh and relu panels', () => {
    const vg = compile(infoPlaneGridSpec(pts, { ixtMaxBits: 12, ityMaxBits: 1 }) as never).spec;
    const names = (vg.scales ?? []).map((sc) => sc.name);
    expect(names.filter((n) => n === 'x' || n === 'y').sort()).toEqual(['x', 'y']);
    const x = (vg.scales ?? []).find((sc) => sc.name === 'x') as { domain: unknown };
    expect(x.domain).toEqual([0, 12]);
  });
});

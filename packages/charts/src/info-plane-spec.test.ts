import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { atIxtCeiling, infoPlaneSpec, IXT_CEILING_SLACK_BITS } from './info-plane-spec.js';

describe('infoPlaneSpec', () => {
  const pts = [
    { layer: 'layer 1', epoch: 1, ixtBits: 9, ityBits: 0.2 },
    { layer: 'layer 2', epoch: 1, ixtBits: 6, ityBits: 0.1 },
    { layer: 'layer 1', epoch: 3, ixtBits: 10, ityBits: 0.8 },
  ];
  it('puts every layer on one shared pair of axes in bits, coloured by epoch, one shape per layer', () => {
    const s = infoPlaneSpec(pts);
    expect(s.encoding.x.title).toBe('I(X;T), bits');
    expect(s.encoding.y.title).toBe('I(T;Y), bits');
    expect(s.layer[1].encoding.color.scale.domain).toEqual([1, 3]);
    expect(s.layer[1].encoding.shape.scale.domain).toEqual(['layer 1', 'layer 2']);
  });
  it('compiles with vega-lite to one Vega spec with a single x and a single y scale', () => {
    const vg = compile(infoPlaneSpec(pts) as never).spec;
    const names = (vg.scales ?? []).map((sc) => sc.name);
    expect(names.filter((n) => n === 'x' || n === 'y').sort()).toEqual(['x', 'y']);
    expect(names).toContain('color');
    expect(names).toContain('shape');
  });
  it('draws the I(X;T) ceiling log2 n as a dashed line with its value, only when given', () => {
    expect(infoPlaneSpec(pts).layer).toHaveLength(2);
    const s = infoPlaneSpec(pts, { ixtCeilingBits: 12 });
    expect(s.layer).toHaveLength(4);
    const [rule, text] = s.layer.slice(2) as unknown as [{ mark: { type: string }; encoding: { x: { datum: number } } }, { encoding: { text: { value: string } } }];
    expect(rule.mark.type).toBe('rule');
    expect(rule.encoding.x.datum).toBe(12);
    expect(text.encoding.text.value).toBe('log₂ n = 12 bits: I(X;T) ≤ H(X)');
    expect(infoPlaneSpec(pts, { ixtCeilingBits: Math.log2(300) }).layer[3]).toMatchObject({ encoding: { text: { value: 'log₂ n = 8.23 bits: I(X;T) ≤ H(X)' } } });
    // the line shares the points' x scale: still one x and one y scale
    const names = (compile(s as never).spec.scales ?? []).map((sc) => sc.name);
    expect(names.filter((n) => n === 'x' || n === 'y').sort()).toEqual(['x', 'y']);
  });
  it('counts an estimate within 10⁻⁶ bits of log2 n as at its ceiling, the one rule the CLI and the web demo use', () => {
    expect(IXT_CEILING_SLACK_BITS).toBe(1e-6);
    expect([12, 12 - 1e-9, 12 - 1e-3, 11.5].map((b) => atIxtCeiling(b, 12))).toEqual([true, true, false, false]);
  });
});

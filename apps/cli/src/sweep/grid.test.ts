import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { deepSet, expandGrid, parseGridFlag } from './grid.js';
import { pointId, stableStringify } from './point-id.js';

describe('sweep grid', () => {
  it('parses --grid values as numbers, booleans, strings or a JSON array', () => {
    expect(parseGridFlag('latentDim=8,32')).toEqual({ key: 'latentDim', values: [8, 32] });
    expect(parseGridFlag('optimizer.learningRate=1e-3, 1e-4')).toEqual({ key: 'optimizer.learningRate', values: [1e-3, 1e-4] });
    expect(parseGridFlag('encoder.activation=relu,tanh')).toEqual({ key: 'encoder.activation', values: ['relu', 'tanh'] });
    expect(parseGridFlag('encoder.hidden=[[64],[128,128]]')).toEqual({ key: 'encoder.hidden', values: [[64], [128, 128]] });
    expect(() => parseGridFlag('latentDim')).toThrow(/--grid latentDim: expected key=v1,v2/);
    expect(() => parseGridFlag('a..b=1')).toThrow(/expected key=v1,v2/);
  });

  it('sets dotted keys in a copy, and refuses to descend into a non-object', () => {
    const base = { encoder: { hidden: [64], activation: 'relu' }, epochs: 2 };
    const out = deepSet(base, 'encoder.activation', 'tanh');
    expect(out).toEqual({ encoder: { hidden: [64], activation: 'tanh' }, epochs: 2 });
    expect(base.encoder.activation).toBe('relu');
    expect(deepSet({}, 'optimizer.learningRate', 0.1)).toEqual({ optimizer: { learningRate: 0.1 } });
    expect(() => deepSet(base, 'epochs.x', 1)).toThrow(/"epochs" in the config is 2, not an object/);
  });

  it('expands the cartesian product, first axis slowest, and drops the controller when β is set', () => {
    const points = expandGrid({ controller: { name: 'hinge' }, seed: 0 }, [{ key: 'beta', values: [1, 2] }, { key: 'seed', values: [0, 1, 2] }]);
    expect(points).toHaveLength(6);
    expect(points.map((p) => p.coords)).toEqual([
      { beta: 1, seed: 0 }, { beta: 1, seed: 1 }, { beta: 1, seed: 2 }, { beta: 2, seed: 0 }, { beta: 2, seed: 1 }, { beta: 2, seed: 2 },
    ]);
    expect(points[4]!.raw).toEqual({ beta: 2, seed: 1 });
  });

  it('gives a point the same id whatever the key order, and another id for any other value', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    const a = pointId({ seed: 1, beta: 0.1, encoder: { hidden: [64] }, subset: { maxTrain: 500 } } as never);
    expect(pointId({ encoder: { hidden: [64] }, subset: { maxTrain: 500 }, beta: 0.1, seed: 1 } as never)).toBe(a);
    expect(pointId({ seed: 2, beta: 0.1, encoder: { hidden: [64] }, subset: { maxTrain: 500 } } as never)).not.toBe(a);
    expect(pointId({ seed: 1, beta: 0.1, encoder: { hidden: [64] }, subset: { maxTrain: 501 } } as never)).not.toBe(a);
    // the id a point had when --max-train 500 was hashed beside the config rather than in it: recorded points keep theirs
    expect(a).toBe(createHash('sha256').update(stableStringify({ config: { seed: 1, beta: 0.1, encoder: { hidden: [64] } }, subset: { maxTrain: '500' } })).digest('hex').slice(0, 16));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });
});

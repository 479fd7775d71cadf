import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { ShapeError } from '../errors/shape-error.js';
import { resolveBinRange } from './bin-range.js';
import { binningInformation } from './binning.js';

/** All 2^k binary codes in k units, each repeated `reps` times (rows in a shuffled-looking order). */
function binaryCodes(k: number, reps: number): { data: Float64Array; n: number; d: number } {
  const n = 2 ** k * reps;
  const data = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const code = (i * 7) % 2 ** k; // 7 is odd, so this visits every code equally often
    for (let u = 0; u < k; u++) data[i * k + u] = ((code >> u) & 1) === 1 ? 0.9 : -0.9;
  }
  return { data, n, d: k };
}

describe('binningInformation (Shwartz-Ziv & Tishby 2017)', () => {
  it('T with 2^k equally likely values has H(T) = I(X;T) = k bits', () => {
    for (const k of [1, 3, 5]) {
      const t = binaryCodes(k, 4);
      const r = binningInformation(t, new Int32Array(t.n), { bins: 30 });
      expect(r.hT.bits).toBeCloseTo(k, 12);
      expect(r.ixt.bits).toBeCloseTo(k, 12);
      expect(r.distinctPatterns).toBe(2 ** k);
    }
  });

  it('T independent of Y gives I(T;Y) = 0', () => {
    const t = binaryCodes(3, 4); // each code appears 4 times
    const labels = Int32Array.from({ length: t.n }, (_, i) => Math.floor(i / 8) % 4); // each code meets each label once
    const r = binningInformation(t, labels, { bins: 10 });
    expect(r.ity.nats).toBeCloseTo(0, 12);
    expect(r.hTGivenY.bits).toBeCloseTo(3, 12);
  });

  it('T = Y gives I(T;Y) = H(Y)', () => {
    const labels = Int32Array.from({ length: 40 }, (_, i) => i % 4);
    const t = { data: Float32Array.from(labels, (y) => y / 3), n: 40, d: 1 };
    const r = binningInformation(t, labels, { bins: 8 });
    expect(r.ity.bits).toBeCloseTo(2, 12);
    expect(r.ixt.bits).toBeCloseTo(2, 12);
    expect(r.hTGivenY.nats).toBeCloseTo(0, 12);
  });

  it('the bin range follows the data: values in [0, 100] do not collapse into one bin', () => {
    const values = [0, 20, 40, 60, 80, 100];
    const t = { data: Float64Array.from(values), n: 6, d: 1 };
    const labels = [0, 0, 0, 1, 1, 1];
    const byData = binningInformation(t, labels, { bins: 30 });
    expect(byData.range).toEqual([0, 100]);
    expect(byData.distinctPatterns).toBe(6);
    expect(byData.hT.nats).toBeCloseTo(Math.log(6), 12);
    // a fixed tanh range [−1, 1] puts 20..100 into the top bin: only 2 patterns remain
    const byTanh = binningInformation(t, labels, { bins: 30, range: 'tanh' });
    expect(byTanh.distinctPatterns).toBe(2);
  });

  it('resolves activation-function ranges', () => {
    const t = { data: Float64Array.from([-0.5, 0.2, 3]), n: 3, d: 1 };
    expect(resolveBinRange('data', t)).toEqual([-0.5, 3]);
    expect(resolveBinRange('tanh', t)).toEqual([-1, 1]);
    expect(resolveBinRange('sigmoid', t)).toEqual([0, 1]);
    expect(resolveBinRange('relu', t)).toEqual([0, 3]);
    expect(resolveBinRange({ low: -2, high: 2 }, t)).toEqual([-2, 2]);
    expect(() => resolveBinRange({ low: 2, high: 2 }, t)).toThrow(ConfigError);
    expect(() => resolveBinRange('softplus' as never, t)).toThrow(/unknown bin range/);
  });

  it('a constant layer has H(T) = 0 and more bins never lower H(T) on nested grids', () => {
    const constant = { data: new Float64Array(12).fill(0.3), n: 6, d: 2 };
    expect(binningInformation(constant, [0, 1, 0, 1, 0, 1]).hT.nats).toBe(0);
    const t = { data: Float64Array.from({ length: 200 }, (_, i) => Math.sin(i * 1.7)), n: 100, d: 2 };
    const labels = Int32Array.from({ length: 100 }, (_, i) => i % 3);
    const h = [2, 4, 8, 16, 32].map((bins) => binningInformation(t, labels, { bins }).hT.nats);
    for (let i = 1; i < h.length; i++) expect(h[i]!).toBeGreaterThanOrEqual(h[i - 1]! - 1e-12);
    expect(h[h.length - 1]!).toBeLessThanOrEqual(Math.log(100) + 1e-12); // capped by log n
  });

  it('rejects bad bins and mismatched shapes', () => {
    const t = { data: new Float64Array(4), n: 2, d: 2 };
    expect(() => binningInformation(t, [0, 1], { bins: 0 })).toThrow(ConfigError);
    expect(() => binningInformation(t, [0, 1, 0])).toThrow(ShapeError);
    expect(() => binningInformation({ data: new Float64Array(3), n: 2, d: 2 }, [0, 1])).toThrow(/n·d/);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { kdeInformation, kdeSides } from './kde.js';
import { distanceScales, gaussianComponentEntropyNats, mixtureEntropyBounds, pairwiseLogSums } from './mixture-entropy.js';

/** Simpson's rule for ∫ f over [a, b] with n (even) intervals. */
function simpson(f: (x: number) => number, a: number, b: number, n: number): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

/** Deterministic pseudo-random numbers in [0, 1) (a small LCG), so the tests are reproducible. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('mixtureEntropyBounds (Kolchinsky & Tracey 2017)', () => {
  it('a single Gaussian: both bounds equal (d/2)·log(2πeσ²)', () => {
    const single = mixtureEntropyBounds({ data: Float64Array.from([1, -2, 0.5]), n: 1, d: 3 }, 0.3);
    const h = 1.5 * Math.log(2 * Math.PI * Math.E * 0.3);
    expect(single.lower.nats).toBeCloseTo(h, 12);
    expect(single.upper.nats).toBeCloseTo(h, 12);
    // n coincident components are still one Gaussian
    const same = mixtureEntropyBounds({ data: new Float64Array(10).fill(0.7), n: 5, d: 2 }, 0.3);
    expect(same.lower.nats).toBeCloseTo(2 * Math.log(2 * Math.PI * Math.E * 0.3) / 2, 12);
    expect(same.upper.nats).toBeCloseTo(same.lower.nats, 12);
  });

  it('far-apart components: both approach log M + H(component)', () => {
    const m = 4;
    const centers = { data: Float64Array.from([0, 0, 50, 0, 0, 50, 50, 50]), n: m, d: 2 };
    const b = mixtureEntropyBounds(centers, 1);
    const want = Math.log(m) + gaussianComponentEntropyNats(2, 1);
    // neighbours at distance 50: the cross terms are e^{−50²/8} ≈ e^{−312}, zero in double precision
    expect(b.lower.nats).toBeCloseTo(want, 12);
    expect(b.upper.nats).toBeCloseTo(want, 12);
  });

  it('an overlapping 1-D mixture: lower ≤ true entropy (numeric integration) ≤ upper', () => {
    const mus = [0, 1, 2.5, 2.7];
    const v = 0.5;
    const p = (x: number): number =>
      mus.reduce((s, mu) => s + Math.exp(-((x - mu) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v), 0) / mus.length;
    const truth = simpson((x) => {
      const px = p(x);
      return px > 0 ? -px * Math.log(px) : 0;
    }, -10, 13, 20000);
    const b = mixtureEntropyBounds({ data: Float64Array.from(mus), n: mus.length, d: 1 }, v);
    expect(b.lower.nats).toBeLessThanOrEqual(truth + 1e-9);
    expect(b.upper.nats).toBeGreaterThanOrEqual(truth - 1e-9);
    expect(b.upper.nats - b.lower.nats).toBeLessThan(0.5); // informative, not vacuous
  });

  it('rejects a non-positive variance', () => {
    expect(() => mixtureEntropyBounds({ data: new Float64Array(2), n: 2, d: 1 }, 0)).toThrow(ConfigError);
  });
});

describe('kdeInformation (Saxe et al. 2018)', () => {
  it('well-separated rows: I(X;T) → log n, I(T;Y) → H(Y), on both bounds', () => {
    const n = 8;
    const data = Float64Array.from({ length: n }, (_, i) => 100 * i);
    const labels = Int32Array.from({ length: n }, (_, i) => (i < 6 ? 0 : 1));
    const r = kdeInformation({ data, n, d: 1 }, labels);
    const hy = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    for (const side of [r.upper, r.lower]) {
      expect(side.ixt.nats).toBeCloseTo(Math.log(n), 10);
      expect(side.ity.nats).toBeCloseTo(hy, 10);
    }
    expect(r.noiseVariance).toBe(0.1);
  });

  it('T independent of Y in distribution: class-conditional mixtures equal the full one, I(T;Y) = 0', () => {
    // each class holds the same set of activations
    const base = [0, 0.3, 0.5, 1.2];
    const data = Float64Array.from([...base, ...base]);
    const r = kdeInformation({ data, n: 8, d: 1 }, [0, 0, 0, 0, 1, 1, 1, 1], { noiseVariance: 0.05 });
    // each class mixture is the 4 base components; the full mixture is each of them twice: the same density
    expect(r.upper.ity.nats).toBeCloseTo(0, 10);
    expect(r.lower.ity.nats).toBeCloseTo(0, 10);
  });

  it('lower ≤ upper, I(X;T) ≤ log n, and n = 4096 runs (chunked distances)', () => {
    const rand = lcg(42);
    const n = 4096;
    const d = 3;
    const data = new Float32Array(n * d);
    for (let i = 0; i < data.length; i++) data[i] = Math.tanh(3 * (rand() - 0.5));
    const labels = Int32Array.from({ length: n }, (_, i) => (data[i * d]! > 0 ? 1 : 0));
    const r = kdeInformation({ data, n, d }, labels, { noiseVariance: 0.01 });
    expect(r.lower.ixt.nats).toBeLessThanOrEqual(r.upper.ixt.nats);
    expect(r.lower.hT.nats).toBeLessThanOrEqual(r.upper.hT.nats);
    expect(r.upper.ixt.nats).toBeLessThanOrEqual(Math.log(n));
    expect(r.lower.ixt.nats).toBeGreaterThan(0);
    // the label is a function of unit 0's sign, so I(T;Y) is near H(Y) ≈ log 2, never above it by much
    expect(r.upper.ity.nats).toBeGreaterThan(0.5);
    expect(r.upper.ity.nats).toBeLessThan(Math.log(2) + 0.05);
  });
});

/** The plain loop the pairwise sums replace: every ordered pair, row i's terms summed over j = 0 … n − 1 in order. */
function plainLogSums(x: Float32Array, n: number, d: number, scale: number, groups: Int32Array | null): { all: number[]; group: number[] } {
  const sum = (i: number, keep: (j: number) => boolean): number => {
    let s = 0;
    for (let j = 0; j < n; j++) {
      if (!keep(j)) continue;
      let dist = 0;
      for (let k = 0; k < d; k++) dist += (x[i * d + k]! - x[j * d + k]!) ** 2;
      s += Math.exp(-dist * scale);
    }
    return Math.log(s);
  };
  const rows = Array.from({ length: n }, (_, i) => i);
  return {
    all: rows.map((i) => sum(i, () => true)),
    group: rows.map((i) => sum(i, (j) => groups === null || groups[j] === groups[i])),
  };
}

describe('pairwiseLogSums: each pair once, the plain loop\'s bits', () => {
  // 61 rows of 3 units: repeated rows (distance 0), rows far apart (terms that underflow to 0), three groups
  const [n, d] = [61, 3];
  const rand = lcg(7);
  const x = Float32Array.from({ length: n * d }, (_, i) => (i % 7 === 0 ? 40 : 1) * Math.tanh(3 * (rand() - 0.5)));
  x.copyWithin(10 * d, 3 * d, 4 * d); // row 10 repeats row 3
  const groups = Int32Array.from({ length: n }, (_, i) => (i * 5) % 3);
  const t = { data: x, n, d };
  const [kl, bd] = distanceScales(0.01);

  it('one unit and ten: every sum bit for bit the plain loop\'s (distances four rows at a time, and the rows left over)', () => {
    for (const width of [1, 10]) {
      const r = lcg(width);
      const xw = Float32Array.from({ length: n * width }, (_, i) => (i % 11 === 0 ? 12 : 1) * Math.tanh(3 * (r() - 0.5)));
      for (const scale of [kl, bd]) {
        const [got] = pairwiseLogSums({ data: xw, n, d: width }, [scale], groups);
        const want = plainLogSums(xw, n, width, scale, groups);
        expect(Array.from(got!.all)).toEqual(want.all);
        expect(Array.from(got!.group)).toEqual(want.group);
      }
    }
  });

  it('with groups and without, one scale and two: every sum bit for bit the plain loop\'s', () => {
    for (const g of [groups, null]) {
      const both = pairwiseLogSums(t, [kl, bd], g);
      const [one] = pairwiseLogSums(t, [bd], g);
      for (const [got, scale] of [[both[0], kl], [both[1], bd], [one, bd]] as const) {
        const want = plainLogSums(x, n, d, scale, g);
        expect(Array.from(got!.all)).toEqual(want.all);
        expect(Array.from(got!.group)).toEqual(want.group);
      }
    }
    // the far rows do leave terms of 0 (else this case would not test them), and the group sums differ from the rest
    expect(Math.exp(-(40 ** 2) * kl)).toBe(0);
    expect(Array.from(pairwiseLogSums(t, [kl], groups)[0]!.group)).not.toEqual(Array.from(pairwiseLogSums(t, [kl], null)[0]!.group));
  });

  it('kdeSides gives each side alone with the bits kdeInformation gives it beside the other', () => {
    const r = kdeInformation(t, groups, { noiseVariance: 0.01 });
    const [lower, upper] = kdeSides(t, groups, { noiseVariance: 0.01 }, ['lower', 'upper']);
    const [upperAlone] = kdeSides(t, groups, { noiseVariance: 0.01 }, ['upper']);
    const [lowerAlone] = kdeSides(t, groups, { noiseVariance: 0.01 }, ['lower']);
    expect(upper).toEqual(r.upper);
    expect(lower).toEqual(r.lower);
    expect(upperAlone).toEqual(r.upper);
    expect(lowerAlone).toEqual(r.lower);
    expect(r.upper.ixt.nats).toBeGreaterThan(r.lower.ixt.nats);
  });
});

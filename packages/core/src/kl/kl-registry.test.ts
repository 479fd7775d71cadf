import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import type { Distribution } from '../distributions/distribution.js';
import { StandardNormal } from '../distributions/standard-normal.js';
import { DuplicatePluginError } from '../errors/duplicate-plugin-error.js';
import { NoKLError } from '../errors/no-kl-error.js';
import { ShapeError } from '../errors/shape-error.js';
import { VibError } from '../errors/vib-error.js';
import { createKLRegistry } from './kl-registry.js';
import type { KLRuleResult } from './kl-types.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const first = (t: tf.Tensor): number => t.dataSync()[0]!;
const tagged = (tag: number) => (p: Distribution): KLRuleResult => ({ total: tf.fill([p.batchSize], tag), perDim: null });

/** A user subclass, to show dispatch walking the prototype chain. */
class TemperedGaussian extends DiagonalGaussian {
  static override readonly typeName: string = 'TemperedGaussian';
  override readonly typeName: string = 'TemperedGaussian';
}

const diag = (): DiagonalGaussian => new DiagonalGaussian(tf.zeros([1, 2]), tf.zeros([1, 2]));

describe('KL dispatch', () => {
  it('picks the most specific registered pair', () => {
    const kl = createKLRegistry();
    kl.register(DiagonalGaussian, StandardNormal, tagged(1), { override: true }); // special rule
    kl.register(DiagonalGaussian, DiagonalGaussian, tagged(2), { override: true }); // general rule
    const std = new StandardNormal(2);
    expect(first(kl.kl(diag(), std).total)).toBe(1); // exact match (0 + 0)
    expect(first(kl.kl(diag(), diag()).total)).toBe(2); // only the general rule applies
    expect(first(kl.kl(std, std).total)).toBe(1); // distance 1 + 0 beats 1 + 1
    expect(first(kl.kl(std, diag()).total)).toBe(2); // q is a plain DiagonalGaussian
    const t = new TemperedGaussian(tf.zeros([1, 2]), tf.zeros([1, 2]));
    expect(first(kl.kl(t, std).total)).toBe(1); // a subclass inherits its parent's rule
  });

  it('clears its cache on register, so a new, more specific rule takes effect', () => {
    const kl = createKLRegistry();
    const t = new TemperedGaussian(tf.zeros([1, 2]), tf.zeros([1, 2]));
    const std = new StandardNormal(2);
    expect(first(kl.kl(t, std).total)).toBe(0); // the seeds' formula at μ = 0, σ = 1
    kl.register(TemperedGaussian, StandardNormal, tagged(7));
    expect(first(kl.kl(t, std).total)).toBe(7);
    expect(kl.pairs()).toContain('TemperedGaussian‖StandardNormal');
  });

  it('throws DuplicatePluginError for a duplicate pair unless override is set', () => {
    const kl = createKLRegistry();
    expect(() => kl.register(DiagonalGaussian, StandardNormal, tagged(1))).toThrow(DuplicatePluginError);
    expect(() => kl.register(DiagonalGaussian, StandardNormal, tagged(1))).toThrow(/DiagonalGaussian‖StandardNormal/);
    expect(() => kl.register(DiagonalGaussian, StandardNormal, tagged(1), { override: true })).not.toThrow();
  });

  it('reports equally specific rules as ambiguous, naming them', () => {
    const kl = createKLRegistry();
    kl.register(StandardNormal, DiagonalGaussian, tagged(3));
    const std = new StandardNormal(2);
    // (DiagonalGaussian, StandardNormal) and (StandardNormal, DiagonalGaussian) are both at distance 1
    let caught: unknown;
    try {
      kl.kl(std, std);
    } catch (e) {
      caught = e;
    }
    expect(VibError.isInstance(caught)).toBe(true);
    expect((caught as VibError).code).toBe('E_AMBIGUOUS_KL');
    expect((caught as VibError).message).toMatch(/DiagonalGaussian‖StandardNormal and StandardNormal‖DiagonalGaussian/);
  });

  it('keeps registries independent (no module-level singleton)', () => {
    const a = createKLRegistry();
    const b = createKLRegistry();
    a.register(TemperedGaussian, DiagonalGaussian, tagged(5));
    expect(a.pairs()).toContain('TemperedGaussian‖DiagonalGaussian');
    expect(b.pairs()).not.toContain('TemperedGaussian‖DiagonalGaussian');
  });

  it('a miss where Monte Carlo is impossible throws NoKLError naming both types', () => {
    const opaque = {
      typeName: 'OpaqueCode',
      eventSize: 2,
      batchSize: 1,
      mean: () => tf.zeros([1, 2]),
      sample: () => tf.zeros([1, 2]),
    } as unknown as Distribution;
    const kl = createKLRegistry();
    expect(() => kl.kl(diag(), opaque)).toThrow(NoKLError);
    expect(() => kl.kl(diag(), opaque)).toThrow(/\(DiagonalGaussian, OpaqueCode\).*OpaqueCode has no logProb/);
  });

  it('rejects mismatched event sizes and batch sizes with ShapeError', () => {
    const kl = createKLRegistry();
    expect(() => kl.kl(diag(), new StandardNormal(3))).toThrow(ShapeError);
    const b2 = new DiagonalGaussian(tf.zeros([2, 2]), tf.zeros([2, 2]));
    const b3 = new DiagonalGaussian(tf.zeros([3, 2]), tf.zeros([3, 2]));
    expect(() => kl.kl(b2, b3)).toThrow(/got 2 and 3/);
  });

  it('rejects a non-positive sample count', () => {
    expect(() => createKLRegistry({ monteCarloSamples: 0 })).toThrow(/positive integer, got 0/);
  });

  it('does not leak tensors beyond its outputs', () => {
    const kl = createKLRegistry();
    const p = diag();
    const q = new StandardNormal(2);
    const before = tf.memory().numTensors;
    const res = kl.kl(p, q);
    expect(tf.memory().numTensors - before).toBe(2); // total and perDim
    tf.dispose([res.total, res.perDim!]);
  });
});

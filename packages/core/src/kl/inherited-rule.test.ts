import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import { StandardNormal } from '../distributions/standard-normal.js';
import { InheritedKLError } from '../errors/inherited-kl-error.js';
import { densityOverrides } from './inherited-rule-check.js';
import { createKLRegistry } from './kl-registry.js';
import { monteCarloKL } from './monte-carlo-kl.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const LOG2 = Math.log(2);

/** N(μ, 2σ²): a normalized Gaussian of twice the variance its parameters say, with its own sample and density. */
class DoubledGaussian extends DiagonalGaussian {
  static override readonly typeName: string = 'DoubledGaussian';
  override readonly typeName: string = 'DoubledGaussian';
  private readonly wide = new DiagonalGaussian(this.loc, tf.keep(tf.add(this.logVar, LOG2)));
  override sample(n?: number, seed?: number): tf.Tensor {
    return this.wide.sample(n, seed);
  }
  override logProbPerDim(z: tf.Tensor): tf.Tensor {
    return this.wide.logProbPerDim(z);
  }
}

/** The same density as DiagonalGaussian, its log-density written another way (for speed, say). */
class RewrittenGaussian extends DiagonalGaussian {
  static override readonly typeName: string = 'RewrittenGaussian';
  override readonly typeName: string = 'RewrittenGaussian';
  calls = 0;
  override logProb(z: tf.Tensor): tf.Tensor {
    this.calls++;
    return tf.tidy(() => {
      const u = tf.div(tf.sub(z, this.loc), tf.exp(tf.mul(this.logVar, 0.5)));
      return tf.neg(tf.sum(tf.add(tf.mul(tf.square(u), 0.5), tf.add(tf.mul(this.logVar, 0.5), 0.5 * Math.log(2 * Math.PI))), -1));
    });
  }
}

/** A subclass with no type name of its own, whose log-density is one nat too high per row: not normalized. */
class Unnamed extends DiagonalGaussian {
  override logProb(z: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(super.logProb(z), 1));
  }
}

// KL(N(μ, s²) ‖ N(0, 1)) per dimension, s² = e^logVar·scale
const klToStd = (mu: number, logVar: number, scale = 1): number => 0.5 * (Math.exp(logVar) * scale + mu * mu - 1 - logVar - Math.log(scale));
const params = (b: number, k: number, seed: number): [tf.Tensor2D, tf.Tensor2D] => [
  tf.randomNormal([b, k], 0, 1, 'float32', seed),
  tf.randomUniform([b, k], -1, 0.5, 'float32', seed + 1),
];

describe('a KL rule reached through a parent class, by a class with its own density', () => {
  it('lists the density methods defined between an instance and the class its rule is registered for', () => {
    const [loc, lv] = params(2, 3, 1);
    expect(densityOverrides(new DiagonalGaussian(loc, lv), 'DiagonalGaussian')).toEqual([]);
    expect(densityOverrides(new StandardNormal(3), 'DiagonalGaussian')).toEqual([]);
    expect(densityOverrides(new DoubledGaussian(loc, lv), 'DiagonalGaussian')).toEqual(['sample', 'logProbPerDim']);
    expect(densityOverrides(new DoubledGaussian(loc, lv), 'DoubledGaussian')).toEqual([]);
    expect(densityOverrides(new Unnamed(loc, lv), 'DiagonalGaussian')).toEqual(['logProb']);
    // a plain object names itself: nothing on its chain was inherited
    expect(densityOverrides({ typeName: 'DiagonalGaussian', logProb: () => tf.scalar(0) } as never, 'DiagonalGaussian')).toEqual([]);
  });

  it('refuses the inherited closed form when the density differs, giving both values and the fix', () => {
    const kl = createKLRegistry();
    const p = new DoubledGaussian(tf.tensor2d([[0.5, -1]]), tf.tensor2d([[0, 0.5]]));
    // the rule computes KL(N(μ, σ²) ‖ N(0, I)); the class is N(μ, 2σ²), 0.63 nats further
    const rule = klToStd(0.5, 0) + klToStd(-1, 0.5);
    const truth = klToStd(0.5, 0, 2) + klToStd(-1, 0.5, 2);
    expect(truth - rule).toBeCloseTo(0.5 * (1 + Math.exp(0.5)) - LOG2, 12);
    let error: unknown;
    try {
      kl.kl(p, new StandardNormal(2), { validateArgs: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InheritedKLError);
    const err = error as InheritedKLError;
    expect(err.code).toBe('E_INHERITED_KL');
    expect(err.message).toMatch(/KL\(DoubledGaussian ‖ StandardNormal\) reached the rule registered for DiagonalGaussian‖StandardNormal, but DoubledGaussian\.sample and DoubledGaussian\.logProbPerDim are defined anew/);
    expect(err.message).toMatch(/not these: register a rule for exactly \(DoubledGaussian, StandardNormal\) \(its closed form, or monteCarloKL for an estimate\)/);
    const d = err.details as { ruleNats: number; estimateNats: number; standardError: number; samples: number; rule: string };
    expect(d.rule).toBe('DiagonalGaussian‖StandardNormal');
    // one row: 2¹⁴ draws, where 256 would leave a standard error of 0.15 nats
    expect(d.samples).toBe(16384);
    expect(d.ruleNats).toBeCloseTo(rule, 5);
    expect(Math.abs(d.estimateNats - truth)).toBeLessThan(5 * d.standardError);
  });

  it('passes a class that keeps its parent’s density, on 10 pairs of parameters (q up to e³ times narrower) and a batch checked in chunks', () => {
    for (let s = 0; s < 10; s++) {
      // 1,100 rows of 8 (256 draws a row) take two chunks of draws; 1 row takes 2¹⁴ draws
      const b = s === 0 ? 1100 : 1 + 23 * (s - 1);
      const p = new RewrittenGaussian(tf.randomNormal([b, 8], 0, 1, 'float32', s), tf.randomUniform([b, 8], -1, 2, 'float32', s + 100));
      const q = new DiagonalGaussian(tf.randomNormal([1, 8], 0, 1, 'float32', s + 200), tf.randomUniform([1, 8], -1, 0.5, 'float32', s + 300));
      const got = createKLRegistry().kl(p, q, { validateArgs: false });
      expect(got.exact).toBe(true);
      expect(p.calls).toBeGreaterThan(0);
      tf.dispose([got.total, got.perDim ?? []]);
    }
  });

  it('leaves the gradient alone when the check runs inside it', () => {
    const loc = tf.variable(tf.tensor2d([[0.5, -1, 2]]));
    const lv = tf.tensor2d([[0, 0.5, -0.5]]);
    const kl = createKLRegistry();
    const p = new RewrittenGaussian(loc, lv);
    const { value, grads } = tf.variableGrads(() => tf.sum(kl.kl(p, new StandardNormal(3), { validateArgs: false }).total) as tf.Scalar, [loc]);
    expect(p.calls).toBeGreaterThan(0);
    // KL(N(μ, σ²) ‖ N(0, 1)) = ½(σ² + μ² − 1 − log σ²): its gradient in μ is μ
    expect(value.dataSync()[0]).toBeCloseTo(klToStd(0.5, 0) + klToStd(-1, 0.5) + klToStd(2, -0.5), 5);
    expect(Array.from(grads[loc.name]?.dataSync() ?? [])).toEqual([0.5, -1, 2]);
  });

  it('checks once per pair of classes', () => {
    const kl = createKLRegistry();
    const calls = [0, 1, 2].map((s) => {
      const p = new RewrittenGaussian(...params(40, 8, 10 * s + 3));
      tf.dispose(kl.kl(p, new StandardNormal(8)).total);
      return p.calls;
    });
    expect(calls[0]).toBeGreaterThan(0);
    expect(calls.slice(1)).toEqual([0, 0]);
  });

  it('catches a density a tenth of a nat off in every row of a batch, and three nats off in one row', () => {
    class Shifted extends DiagonalGaussian {
      static override readonly typeName: string = 'Shifted';
      override readonly typeName: string = 'Shifted';
      constructor(loc: tf.Tensor, logVar: tf.Tensor, private readonly shift: tf.Tensor) {
        super(loc, logVar);
      }
      override logProb(z: tf.Tensor): tf.Tensor {
        return tf.tidy(() => tf.add(super.logProb(z), this.shift));
      }
    }
    const [loc, lv] = params(100, 4, 41);
    const run = (shift: tf.Tensor): InheritedKLError => {
      try {
        createKLRegistry().kl(new Shifted(loc, lv, shift), new StandardNormal(4), { validateArgs: false });
      } catch (e) {
        return e as InheritedKLError;
      }
      throw new Error('not refused');
    };
    const all = run(tf.scalar(0.1));
    expect(all.message).toMatch(/averaged over the batch's 100 rows the rule gives \S+ nats, their own sample and logProb \S+ ± \S+ nats \(Monte Carlo, 656 draws a row\)/);
    expect((all.details as { ruleNats: number; estimateNats: number }).estimateNats - (all.details as { ruleNats: number }).ruleNats).toBeCloseTo(0.1, 1);
    const one = run(tf.tensor1d(Array.from({ length: 100 }, (_, b) => (b === 7 ? 3 : 0))));
    expect(one.details).toMatchObject({ where: 'in batch row 7' });
    expect(() => createKLRegistry().kl(new Shifted(loc, lv, tf.scalar(0)), new StandardNormal(4))).not.toThrow();
  });

  it('catches a class without a type name of its own, naming its class, and a q that redefines its density', () => {
    const kl = createKLRegistry();
    const [loc, lv] = params(30, 4, 21);
    expect(() => kl.kl(new Unnamed(loc, lv), new StandardNormal(4))).toThrow(
      /KL\(DiagonalGaussian \(class Unnamed\) ‖ StandardNormal\) reached the rule registered for DiagonalGaussian‖StandardNormal, but DiagonalGaussian \(class Unnamed\)\.logProb is defined anew.* not these: give class Unnamed a static typeName of its own, then register a rule for exactly that pair/,
    );
    expect(() => kl.kl(new DiagonalGaussian(loc, lv), new Unnamed(...params(30, 4, 22)))).toThrow(InheritedKLError);
  });

  it('a rule registered for exactly the class ends the check: its closed form, or monteCarloKL', () => {
    const kl = createKLRegistry();
    const scale = (p: DiagonalGaussian) => ({ total: tf.sum(tf.mul(tf.sub(tf.add(tf.add(tf.mul(tf.exp(p.logVar), 2), tf.square(p.loc)), -1 - LOG2), p.logVar), 0.5), -1), perDim: null });
    kl.register(DoubledGaussian, StandardNormal, scale);
    const p = new DoubledGaussian(tf.tensor2d([[0.5, -1]]), tf.tensor2d([[0, -0.5]]));
    const got = kl.kl(p, new StandardNormal(2));
    expect(got.total.dataSync()[0]).toBeCloseTo(klToStd(0.5, 0, 2) + klToStd(-1, -0.5, 2), 5);
    const mc = createKLRegistry();
    mc.register(DoubledGaussian, StandardNormal, monteCarloKL);
    const est = mc.kl(p, new StandardNormal(2), { samples: 4000, seed: 2 });
    expect(est.exact).toBe(false);
    expect(est.total.dataSync()[0]).toBeCloseTo(klToStd(0.5, 0, 2) + klToStd(-1, -0.5, 2), 1);
  });

  it('checks again after a rule is registered, and the base classes themselves are never checked', () => {
    const kl = createKLRegistry();
    const [loc, lv] = params(10, 4, 31);
    const rewritten = new RewrittenGaussian(loc, lv);
    tf.dispose(kl.kl(rewritten, new StandardNormal(4)).total);
    expect(rewritten.calls).toBeGreaterThan(0);
    kl.register('Other', 'Thing', monteCarloKL);
    const again = new RewrittenGaussian(loc, lv);
    tf.dispose(kl.kl(again, new StandardNormal(4)).total);
    expect(again.calls).toBeGreaterThan(0);
    const plain = new DiagonalGaussian(loc, lv);
    let reads = 0;
    const original = plain.logProb.bind(plain);
    plain.logProb = (z) => (reads++, original(z));
    // an own property on the instance counts as its own density: a base class's instance without one is not checked
    tf.dispose(createKLRegistry().kl(new DiagonalGaussian(loc, lv), new StandardNormal(4)).total);
    expect(reads).toBe(0);
  });
});

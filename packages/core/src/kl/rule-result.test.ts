import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import { StandardNormal } from '../distributions/standard-normal.js';
import { NegativeKLError } from '../errors/negative-kl-error.js';
import { ShapeError } from '../errors/shape-error.js';
import { createKLRegistry } from './kl-registry.js';
import { closedFormSlack } from './rule-result-check.js';
import { klDiagonalGaussianStandardNormal } from './rules/gaussian-kl.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A prior of its own class, for rules registered by a third party. */
class Wide extends StandardNormal {
  static override readonly typeName: string = 'Wide';
  override readonly typeName: string = 'Wide';
}
const post = (b: number, k: number): DiagonalGaussian => new DiagonalGaussian(tf.randomNormal([b, k], 0, 1, 'float32', 1), tf.randomUniform([b, k], -1, 0.5, 'float32', 2));
const withRule = (rule: (p: DiagonalGaussian, q: Wide) => unknown) => {
  const kl = createKLRegistry();
  kl.register(DiagonalGaussian, Wide, rule as never);
  return kl;
};
const errorOf = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
};

describe('what a KL rule returns is checked', () => {
  it('a total of [B, K] (the sum over K left out) is refused before it could be averaged into a rate of the wrong size', () => {
    const kl = withRule((p) => ({ total: tf.ones([p.batchSize, p.eventSize]), perDim: null }));
    const e = errorOf(() => kl.kl(post(5, 3), new Wide(3), { validateArgs: false }));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe(
      'the KL rule DiagonalGaussian‖Wide returned total = a tensor of shape [5, 3] for B = 5 (a sum over the K dimensions left out?): a KL rule returns { total: a tf.Tensor of shape [B] (nats per row), perDim: a tf.Tensor of shape [B, K] or null }',
    );
  });

  it('names what came back instead of a tensor, or a perDim of the wrong shape', () => {
    const p = post(4, 2);
    expect(errorOf(() => withRule(() => 3).kl(p, new Wide(2))).message).toMatch(/^the KL rule DiagonalGaussian‖Wide returned a number: /);
    expect(errorOf(() => withRule(() => ({ total: [1, 2, 3, 4], perDim: null })).kl(p, new Wide(2))).message).toMatch(/returned total = an array: /);
    expect(errorOf(() => withRule(() => ({ total: tf.zeros([4]), perDim: tf.zeros([4]) })).kl(p, new Wide(2))).message).toMatch(/returned perDim = a tensor of shape \[4\] for B = 4, K = 2: /);
    expect(errorOf(() => withRule(() => undefined).kl(p, new Wide(2))).message).toMatch(/returned nothing \(undefined\): /);
  });

  it('a negated KL is refused on the pair’s first use, even where validateArgs is off (training’s hot path)', () => {
    const kl = withRule((p, q) => {
      const r = klDiagonalGaussianStandardNormal(p, q);
      return { total: tf.neg(r.total), perDim: null };
    });
    const e = errorOf(() => kl.kl(post(6, 4), new Wide(4), { validateArgs: false }));
    expect(e).toBeInstanceOf(NegativeKLError);
    expect(e.message).toMatch(/^KL\(DiagonalGaussian ‖ Wide\) from the rule registered for DiagonalGaussian‖Wide is -\d+\.\d+ nats in batch row 0: a KL is never negative .* so the rule is wrong: check its signs, its terms and the order of p and q$/);
  });

  it('after a clean first use, a negative row is caught on validated calls only (no device read on the hot path)', () => {
    let sign = 1;
    const kl = withRule((p, q) => ({ total: tf.mul(klDiagonalGaussianStandardNormal(p, q).total, sign), perDim: null }));
    tf.dispose(kl.kl(post(6, 4), new Wide(4), { validateArgs: false }).total);
    sign = -1;
    expect(() => tf.dispose(kl.kl(post(6, 4), new Wide(4), { validateArgs: false }).total)).not.toThrow();
    expect(() => kl.kl(post(6, 4), new Wide(4), { validateArgs: true })).toThrow(NegativeKLError);
  });

  it('float32 rounding below 0 passes: 10⁻³ nats plus 10⁻⁵ a dimension', () => {
    expect(closedFormSlack(256)).toBeCloseTo(0.00356, 12);
    const near = withRule((p) => ({ total: tf.fill([p.batchSize], -0.0035), perDim: null }));
    expect(() => near.kl(post(3, 256), new Wide(256), { validateArgs: true })).not.toThrow();
    const beyond = withRule((p) => ({ total: tf.fill([p.batchSize], -0.0036), perDim: null }));
    expect(() => beyond.kl(post(3, 256), new Wide(256), { validateArgs: true })).toThrow(NegativeKLError);
  });
});

describe('kl plugins', () => {
  it('two plugins for one pair are refused, naming both, where one silently replaced the other', async () => {
    const { createRegistry } = await import('../registry/registry.js');
    const { klRegistryFor } = await import('./kl-registry-for.js');
    const registry = createRegistry();
    const rule = (p: DiagonalGaussian) => ({ total: tf.zeros([p.batchSize]), perDim: null });
    registry.register('kl', { name: 'wide-exact', description: 'one', p: 'DiagonalGaussian', q: 'Wide', rule });
    expect(() => klRegistryFor(registry)).not.toThrow();
    registry.register('kl', { name: 'wide-zero', description: 'two', p: 'DiagonalGaussian', q: 'Wide', rule });
    expect(() => klRegistryFor(registry)).toThrow('the kl plugins "wide-exact" and "wide-zero" both give a rule for DiagonalGaussian‖Wide, and one would silently replace the other: register one of them');
  });
});

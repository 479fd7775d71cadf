import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import { Laplace } from '../distributions/laplace.js';
import { createKLRegistry } from './kl-registry.js';
import { spelledAlike } from './resolve.js';
import type { KLRule } from './kl-types.js';

const zeroRule: KLRule = (p) => ({ total: tf.zeros([p.batchSize]), perDim: null });

describe('spelledAlike', () => {
  it('takes case, one edit (two from 10 characters) as a misspelling; equal, short and distant names are not', () => {
    expect(spelledAlike('DiagonalGaussian', 'DiagonalGausian')).toBe(true); // a letter dropped
    expect(spelledAlike('DiagonalGaussian', 'DiagnoalGaussian')).toBe(true); // two swapped (two edits, 16 characters)
    expect(spelledAlike('laplace', 'Laplace')).toBe(true);
    expect(spelledAlike('Laplce', 'Laplace')).toBe(true);
    expect(spelledAlike('Laplace', 'Laplace')).toBe(false);
    expect(spelledAlike('Lapalce', 'Laplace')).toBe(false); // two edits in a 7-character name
    expect(spelledAlike('Beta', 'Bet')).toBe(false); // too short to tell
    expect(spelledAlike('StudentT', 'DiagonalGaussian')).toBe(false);
  });
});

describe('a pair estimated by Monte Carlo while a rule is registered under a name spelled alike', () => {
  let p: Laplace;
  let q: DiagonalGaussian;
  beforeAll(() => {
    tf.setBackend('cpu');
    p = new Laplace(tf.tensor2d([[0.5, -1]]), tf.tensor2d([[0, 0]]));
    q = new DiagonalGaussian(tf.tensor2d([[0, 0]]), tf.tensor2d([[0, 0]]));
  });

  it('warns once, naming the rule, both chains and what to do; the estimate is still Monte Carlo', () => {
    const said: string[] = [];
    const kl = createKLRegistry({ warn: (m) => said.push(m) });
    kl.register('Laplace', 'DiagonalGausian', zeroRule);
    const first = kl.kl(p, q, { samples: 16, seed: 1 });
    expect(first.exact).toBe(false);
    kl.kl(p, q, { samples: 16, seed: 2 });
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('KL(Laplace ‖ DiagonalGaussian) has no rule, so it is estimated by Monte Carlo');
    expect(said[0]).toContain('Laplace‖DiagonalGausian differs from these type names only in spelling');
    expect(said[0]).toMatch(/register it under the names the distributions give: Laplace.* for p and DiagonalGaussian.* for q/);
    // a register clears what was said: the pair is looked at again
    kl.register('laplace', 'DiagonalGaussian', zeroRule);
    kl.kl(p, q, { samples: 16, seed: 3 });
    expect(said).toHaveLength(2);
    expect(said[1]).toContain('the rules registered for Laplace‖DiagonalGausian, laplace‖DiagonalGaussian differ');
  });

  it('says nothing for rules of other pairs, or where the pair has its rule', () => {
    const said: string[] = [];
    const kl = createKLRegistry({ warn: (m) => said.push(m) });
    kl.register('Laplace', 'StudentT', zeroRule);
    kl.register('Lapalce', 'DiagonalGaussian', zeroRule); // two edits in seven letters: another name
    expect(kl.kl(p, q, { samples: 16, seed: 1 }).exact).toBe(false);
    kl.register('Laplace', 'DiagonalGausian', zeroRule);
    kl.register('Laplace', 'DiagonalGaussian', zeroRule);
    expect(kl.kl(p, q).exact).toBe(true); // the rule applies, so no estimate and nothing to say
    expect(said).toEqual([]);
  });
});

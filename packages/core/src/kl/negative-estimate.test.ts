import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagonalGaussian } from '../distributions/diagonal-gaussian.js';
import { Laplace } from '../distributions/laplace.js';
import { NegativeKLError } from '../errors/negative-kl-error.js';
import { expectFiniteEstimate, negativeKLBound } from './finite-check.js';
import { createKLRegistry } from './kl-registry.js';
import { monteCarloKL } from './monte-carlo-kl.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A Gaussian whose log-density is `shift` nats too high everywhere: its density integrates to e^shift, not 1. */
class ShiftedGaussian extends DiagonalGaussian {
  constructor(loc: tf.Tensor, logVar: tf.Tensor, private readonly shift: number) {
    super(loc, logVar);
  }
  override logProbPerDim(z: tf.Tensor): tf.Tensor {
    const k = z.shape.at(-1) ?? 1;
    return tf.tidy(() => tf.add(super.logProbPerDim(z), this.shift / k));
  }
}

// KL(Laplace(0, 1) ‖ N(0, 1)) per dimension = −log 2 − 1 + ½ log 2π + E[z²]/2 (E[z²] = 2b² = 2) = 0.2258 nats
const TRUE_KL = -Math.log(2) - 1 + 0.5 * Math.log(2 * Math.PI) + 1;
const rows = (b: number, k: number, loc = 0): [tf.Tensor, tf.Tensor] => [tf.fill([b, k], loc), tf.zeros([b, k])];

describe('a Monte Carlo KL estimate below 0 beyond what sampling explains', () => {
  const kl = createKLRegistry();

  it('bounds the mean of n draws at 40/n nats below 0 (P ≤ e^−40 for normalized densities), never under 0.01', () => {
    expect(negativeKLBound(100)).toBeCloseTo(0.4, 12);
    expect(negativeKLBound(1)).toBe(40);
    expect(negativeKLBound(10_000)).toBe(0.01);
    expect(TRUE_KL).toBeCloseTo(0.2258, 4);
  });

  it('a q whose density integrates to e (log q one nat too high) is refused, naming both types and the fix', () => {
    const p = new Laplace(...rows(100, 1));
    const q = new ShiftedGaussian(...rows(100, 1), 1);
    // the estimate is about 0.226 − 1 = −0.77 nats, and the bound for 100 rows of 1 sample is 0.4
    const run = () => kl.kl(p, q, { samples: 1, seed: 3 });
    expect(run).toThrow(NegativeKLError);
    expect(run).toThrow(/Monte Carlo KL\(Laplace ‖ DiagonalGaussian\) is -0\.\d+ nats .* not normalized .* a constant left out/);
    try {
      run();
    } catch (e) {
      expect((e as NegativeKLError).code).toBe('E_NEGATIVE_KL');
      expect((e as NegativeKLError).details).toMatchObject({ p: 'Laplace', q: 'DiagonalGaussian', rows: 100, samples: 1, boundNats: 0.4 });
    }
  });

  it('a shortfall inside the bound passes, and more draws tighten the bound until it is caught', () => {
    // log q 0.5 nats too high: the estimate is about −0.27 nats, within 0.4 for 100 draws, beyond 0.04 for 1,000
    const shift = 0.5;
    expect(() => kl.kl(new Laplace(...rows(100, 1)), new ShiftedGaussian(...rows(100, 1), shift), { samples: 1, seed: 5 })).not.toThrow();
    expect(() => kl.kl(new Laplace(...rows(100, 1)), new ShiftedGaussian(...rows(100, 1), shift), { samples: 10, seed: 5 })).toThrow(NegativeKLError);
  });

  it('normalized densities are never refused: p = q (every term 0), and a q four times wider (single terms far below 0)', () => {
    // KL(N(0, 1) ‖ N(0, 4)) = log 2 − 3/8 = 0.318 nats, while one term log p − log q = log 2 − 3z²/8 reaches −5 at z = 4
    for (let seed = 0; seed < 200; seed++) {
      const same = monteCarloKL(new DiagonalGaussian(...rows(4, 3)), new DiagonalGaussian(...rows(4, 3)), { samples: 1, seed });
      expect(Array.from(same.total.dataSync())).toEqual([0, 0, 0, 0]);
      const wide = monteCarloKL(new DiagonalGaussian(...rows(100, 1)), new DiagonalGaussian(tf.zeros([100, 1]), tf.fill([100, 1], Math.log(4))), { samples: 1, seed });
      tf.dispose([same.total, wide.total]);
    }
  });

  it('checks the mean over rows, so one row far below 0 among many near the KL passes', () => {
    const total = tf.tensor1d([-3, ...new Array<number>(99).fill(TRUE_KL)]);
    expect(() => expectFiniteEstimate('P', 'Q', total, 1)).not.toThrow();
    expect(() => expectFiniteEstimate('P', 'Q', tf.tensor1d(new Array<number>(100).fill(-0.41)), 1)).toThrow(NegativeKLError);
    expect(() => expectFiniteEstimate('P', 'Q', tf.tensor1d(new Array<number>(100).fill(-0.39)), 1)).not.toThrow();
  });
});

import { createFromEntry } from '../testing/create-from-entry.js';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@vib/core';
import type { RateController } from '@vib/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freeBitsController } from './free-bits.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// create() validates raw configs itself (defaults filled, errors as ConfigError), as users write them.
const make = (raw: object): RateController => createFromEntry('free-bits', raw);
afterEach(() => {
  vi.restoreAllMocks();
});

const read = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('free-bits controller (Kingma et al. 2016)', () => {
  it('penalty is β·Σ_d max(KL_d, λ) with gradient 0 below λ and β above, per dimension', () => {
    const c = make({ beta: 2, lambda: 0.5 });
    const perDim = [0.1, 0.5001, 3, 0.49];
    const expected = 2 * perDim.reduce((s, d) => s + Math.max(d, 0.5), 0);
    const total = perDim.reduce((s, d) => s + d, 0);
    expect(read(c.penalty(tf.scalar(total), tf.tensor1d(perDim)))[0]).toBeCloseTo(expected, 5);
    const g = tf.grad((x) => c.penalty(tf.sum(x) as tf.Scalar, x as tf.Tensor1D))(tf.tensor1d(perDim));
    expect(read(g)).toEqual([0, 2, 2, 0]);
  });

  it('falls back to β·max(KL, K·λ) without a per-dimension split, noting it once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const c = make({ beta: 3, lambda: 0.25, latentDim: 8 });
    expect(read(c.penalty(tf.scalar(1), null))[0]).toBeCloseTo(3 * 2, 5); // K·λ = 2 > 1
    expect(read(c.penalty(tf.scalar(5), null))[0]).toBeCloseTo(3 * 5, 5);
    const g = (kl: number): number => read(tf.grad((x) => c.penalty(x as tf.Scalar, null))(tf.scalar(kl)))[0] ?? NaN;
    expect(g(1)).toBe(0);
    expect(g(5)).toBeCloseTo(3, 6);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('learns K from a per-dimension KL for the fallback, and asks for latentDim when it cannot', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const c = make({ beta: 1, lambda: 1 });
    expect(() => c.penalty(tf.scalar(1), null)).toThrow(/latentDim/);
    read(c.penalty(tf.scalar(1), tf.tensor1d([0.5, 0.5, 0])));
    expect(read(c.penalty(tf.scalar(1), null))[0]).toBeCloseTo(3, 5);
  });

  it('takes K from the context the bottleneck passes: β·max(KL, K·λ) with K = 4, λ = 0.5 gives 2β at KL = 1', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const c = createFromEntry('free-bits', { beta: 1.5, lambda: 0.5 }, { latentDim: 4, stepsPerEpoch: 10 });
    expect(read(c.penalty(tf.scalar(1), null))[0]).toBeCloseTo(1.5 * 2, 5);
  });

  it('keeps β fixed across updates and round-trips it', () => {
    const a = make({ beta: 0.7 });
    a.update({ klNats: 4, step: 0, totalSteps: 1 });
    expect(a.beta).toBe(0.7);
    const b = make({});
    b.setState(a.getState());
    expect(b.getState()).toEqual({ beta: 0.7 });
  });

  it('rejects bad configs, naming the field', () => {
    expect(() => make({ lambda: -0.1 })).toThrow(ConfigError);
    expect(() => make({ lambda: -0.1 })).toThrow(/controller\.config\.lambda\b/);
    expect(() => make({ beta: -1 })).toThrow(/controller\.config\.beta\b/);
    expect(() => make({ latentDim: 0 })).toThrow(/controller\.config\.latentDim\b/);
  });
});

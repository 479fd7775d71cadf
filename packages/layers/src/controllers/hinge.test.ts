import { createFromEntry } from '../testing/create-from-entry.js';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@vib/core';
import type { RateController } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hingeController } from './hinge.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// create() validates raw configs itself (defaults filled, errors as ConfigError), as users write them.
const make = (raw: object): RateController => createFromEntry('hinge', raw);

const read = (t: tf.Tensor): number => {
  const v = t.dataSync()[0] ?? NaN;
  t.dispose();
  return v;
};

describe('hinge controller (seed 001: λ·max(KL − C, 0))', () => {
  const lambda = 3;
  const capacity = 2;
  const c = make({ lambda, capacity });
  const grad = (kl: number): number => read(tf.grad((x) => c.penalty(x as tf.Scalar, null))(tf.scalar(kl)));

  it('penalty matches λ·max(KL − C, 0) over a scripted sequence, with λ and C fixed', () => {
    for (const [step, kl] of [0.5, 1.9, 2.5, 7, 1].entries()) {
      expect(read(c.penalty(tf.scalar(kl), null))).toBeCloseTo(lambda * Math.max(kl - capacity, 0), 5);
      c.update({ klNats: kl, step, totalSteps: 5 });
      expect(c.getState()).toEqual({ beta: lambda, capacity });
    }
  });

  it('gradient w.r.t. KL is 0 below C and λ above', () => {
    expect(grad(1.5)).toBe(0);
    expect(grad(0)).toBe(0);
    expect(grad(2.5)).toBeCloseTo(lambda, 6);
    expect(grad(40)).toBeCloseTo(lambda, 6);
  });

  it('round-trips state into a fresh controller', () => {
    const d = make({});
    d.setState(c.getState());
    expect(d.getState()).toEqual(c.getState());
    expect(read(d.penalty(tf.scalar(5), null))).toBeCloseTo(lambda * 3, 5);
  });

  it('rejects bad configs, naming the field', () => {
    expect(() => make({ lambda: -1, capacity: 0 })).toThrow(ConfigError);
    expect(() => make({ lambda: -1, capacity: 0 })).toThrow(/controller\.config\.lambda\b/);
    expect(() => make({ lambda: 1, capacity: -2 })).toThrow(/controller\.config\.capacity\b.*-2/);
    expect(() => make({}).setState({ beta: 1 })).toThrow(/"capacity"/);
  });
});

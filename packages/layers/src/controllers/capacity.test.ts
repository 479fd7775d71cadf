import { createFromEntry } from '../testing/create-from-entry.js';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@vib/core';
import type { RateController } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { capacityAt, capacityController } from './capacity.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// create() validates raw configs itself (defaults filled, errors as ConfigError), as users write them.
const make = (raw: object): RateController => createFromEntry('capacity', raw);

const read = (t: tf.Tensor): number => {
  const v = t.dataSync()[0] ?? NaN;
  t.dispose();
  return v;
};

describe('capacity controller (Burgess et al. 2018: γ·|KL − C|)', () => {
  const cfg = { gamma: 4, c0: 1, cMax: 6, rampSteps: 10 };

  it('ramps C linearly from c0 to cMax over rampSteps, then holds it', () => {
    const c = make(cfg);
    expect(c.getState()['capacity']).toBe(1);
    for (let step = 0; step < 15; step++) {
      c.update({ klNats: 3, step, totalSteps: 15 });
      // After step s, s + 1 steps are done: C = 1 + 5·min((s + 1)/10, 1).
      const expected = 1 + 5 * Math.min((step + 1) / 10, 1);
      expect(c.getState()['capacity']).toBeCloseTo(expected, 12);
      expect(c.getState()['step']).toBe(step + 1);
      expect(read(c.penalty(tf.scalar(3), null))).toBeCloseTo(4 * Math.abs(3 - expected), 5);
    }
    expect(capacityAt(cfg, 5)).toBeCloseTo(3.5, 12);
  });

  it('gradient w.r.t. KL flips sign at C: −γ below, +γ above', () => {
    const c = make(cfg); // C = 1 at step 0
    const grad = (kl: number): number => read(tf.grad((x) => c.penalty(x as tf.Scalar, null))(tf.scalar(kl)));
    expect(grad(0.5)).toBeCloseTo(-4, 6);
    expect(grad(1.5)).toBeCloseTo(4, 6);
    c.update({ klNats: 0, step: 4, totalSteps: 10 }); // C = 3.5
    expect(grad(3)).toBeCloseTo(-4, 6);
    expect(grad(4)).toBeCloseTo(4, 6);
  });

  it('round-trips γ, C and step', () => {
    const a = make(cfg);
    a.update({ klNats: 2, step: 6, totalSteps: 10 });
    const b = make(cfg);
    b.setState(a.getState());
    expect(b.getState()).toEqual({ beta: 4, capacity: 1 + 5 * 0.7, step: 7 });
    expect(b.beta).toBe(4);
  });

  it('rejects bad configs, naming the field', () => {
    expect(() => make({ ...cfg, rampSteps: 0 })).toThrow(ConfigError);
    expect(() => make({ ...cfg, rampSteps: 0 })).toThrow(/controller\.config\.rampSteps\b/);
    expect(() => make({ ...cfg, rampSteps: 2.5 })).toThrow(/controller\.config\.rampSteps\b/);
    expect(() => make({ ...cfg, gamma: -1 })).toThrow(/controller\.config\.gamma\b/);
    expect(() => make({ ...cfg, cMax: -3 })).toThrow(/controller\.config\.cMax\b/);
  });
});

import { createFromEntry } from '../testing/create-from-entry.js';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, NATS_PER_BIT, NonFiniteLossError } from '@vib/core';
import type { RateController } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dualAscentController } from './dual-ascent.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// create() validates raw configs itself (defaults filled, errors as ConfigError), as users write them.
const make = (raw: object): RateController => createFromEntry('dual-ascent', raw);

const read = (t: tf.Tensor): number => {
  const v = t.dataSync()[0] ?? NaN;
  t.dispose();
  return v;
};

describe('dual-ascent controller (Peng et al. 2019)', () => {
  it('moves β by α·(KL − I_c), clipped at 0, over a scripted KL sequence', () => {
    const alpha = 0.05;
    const target = 2;
    const c = make({ beta0: 0.1, stepSize: alpha, targetRateNats: target });
    const kls = [5, 4, 0, 0, 0, 0, 3, 10];
    let expected = 0.1;
    let clipped = 0;
    for (const [step, kl] of kls.entries()) {
      expect(read(c.penalty(tf.scalar(kl), null))).toBeCloseTo(expected * kl, 5);
      c.update({ klNats: kl, step, totalSteps: kls.length });
      expected = Math.max(0, expected + alpha * (kl - target));
      expect(c.beta).toBeCloseTo(expected, 12);
      if (expected === 0) {
        expect(c.beta).toBe(0);
        clipped++;
      }
    }
    // the four zeros take β from 0.35 to 0.05 and then below 0, where it is clipped once
    expect(clipped).toBe(1);
    expect(c.getState()).toEqual({ beta: expected, step: kls.length });
  });

  it('clips β at exactly 0 when the rate stays below target', () => {
    const c = make({ beta0: 0.01, stepSize: 1, targetRateNats: 1 });
    c.update({ klNats: 0, step: 0, totalSteps: 1 });
    expect(c.beta).toBe(0);
  });

  it('accepts the target in bits (converted with ln 2 nats per bit)', () => {
    const c = make({ beta0: 1, stepSize: 0.5, targetRateBits: 2 });
    c.update({ klNats: 3, step: 0, totalSteps: 1 });
    expect(c.beta).toBeCloseTo(1 + 0.5 * (3 - 2 * NATS_PER_BIT), 12);
    expect(NATS_PER_BIT).toBeCloseTo(Math.LN2, 12);
  });

  it('penalty gradient w.r.t. KL is the current β (β itself is not differentiated)', () => {
    const c = make({ beta0: 0.3, stepSize: 0.1, targetRateNats: 0 });
    c.update({ klNats: 2, step: 0, totalSteps: 2 }); // β = 0.5
    const g = read(tf.grad((x) => c.penalty(x as tf.Scalar, null))(tf.scalar(7)));
    expect(g).toBeCloseTo(0.5, 6);
  });

  it('round-trips β and step, and refuses a NaN rate', () => {
    const a = make({ beta0: 0.2, stepSize: 0.1, targetRateNats: 1 });
    a.update({ klNats: 4, step: 9, totalSteps: 20 });
    const b = make({ targetRateNats: 1 });
    b.setState(a.getState());
    expect(b.getState()).toEqual({ beta: a.beta, step: 10 });
    expect(() => b.update({ klNats: Number.NaN, step: 10, totalSteps: 20 })).toThrow(NonFiniteLossError);
    expect(b.beta).toBe(a.beta);
  });

  it('rejects bad configs, naming the field', () => {
    expect(() => make({})).toThrow(ConfigError);
    expect(() => make({})).toThrow(/controller\.config\.targetRateNats\b/);
    expect(() => make({ targetRateNats: 1, targetRateBits: 1 })).toThrow(/exactly one/);
    expect(() => make({ targetRateNats: 1, stepSize: 0 })).toThrow(/controller\.config\.stepSize\b/);
    expect(() => make({ targetRateNats: 1, beta0: -1 })).toThrow(/controller\.config\.beta0\b/);
  });
});

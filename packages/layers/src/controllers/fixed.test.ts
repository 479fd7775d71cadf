import { createFromEntry } from '../testing/create-from-entry.js';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@vib/core';
import type { RateController } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedController } from './fixed.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// create() validates raw configs itself (defaults filled, errors as ConfigError), as users write them.
const make = (raw: object): RateController => createFromEntry('fixed', raw);

const read = (t: tf.Tensor): number => {
  const v = t.dataSync()[0] ?? NaN;
  t.dispose();
  return v;
};

describe('fixed controller', () => {
  it('penalty is β·KL with gradient β, and β never moves', () => {
    const c = make({ beta: 0.25 });
    for (const [step, kl] of [3, 0.5, 10, 0].entries()) {
      expect(read(c.penalty(tf.scalar(kl), null))).toBeCloseTo(0.25 * kl, 6);
      const g = tf.grad((x) => c.penalty(x as tf.Scalar, null))(tf.scalar(kl));
      expect(read(g)).toBeCloseTo(0.25, 6);
      c.update({ klNats: kl, step, totalSteps: 4 });
      expect(c.beta).toBe(0.25);
    }
  });

  it('defaults to β = 1e-3 and round-trips its state', () => {
    const a = make({});
    expect(a.beta).toBe(1e-3);
    const b = make({ beta: 5 });
    b.setState(a.getState());
    expect(b.getState()).toEqual({ beta: 1e-3 });
    expect(b.beta).toBe(1e-3);
  });

  it('rejects a negative β with a ConfigError naming beta', () => {
    expect(() => make({ beta: -0.1 })).toThrow(ConfigError);
    expect(() => make({ beta: -0.1 })).toThrow(/controller\.config\.beta\b.*-0\.1/);
    expect(() => make({ betta: 1 } as never)).toThrow(/"betta"/);
    expect(() => make({}).setState({ beta: Number.NaN })).toThrow(/"beta"/);
  });
});

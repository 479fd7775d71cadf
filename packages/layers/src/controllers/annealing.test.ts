import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cyclicalBetaAt, cyclicalController } from './cyclical.js';
import { createFromEntry } from '../testing/create-from-entry.js';
import { warmupBetaAt, warmupController } from './warmup.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const read = (t: tf.Tensor): number => {
  const v = t.dataSync()[0] ?? NaN;
  t.dispose();
  return v;
};

describe('β warm-up', () => {
  it('β = 0 at the start, rises linearly to β over warmupSteps, then holds; the penalty is β(t)·KL', () => {
    const c = warmupController.create({ beta: 2, warmupSteps: 8 });
    expect(c.beta).toBe(0);
    expect(read(c.penalty(tf.scalar(5), null))).toBe(0);
    for (let step = 0; step < 12; step++) {
      c.update({ klNats: 1, step, totalSteps: 12 });
      expect(c.beta).toBeCloseTo(2 * Math.min((step + 1) / 8, 1), 12);
    }
    expect(read(c.penalty(tf.scalar(5), null))).toBeCloseTo(10, 5);
    expect(warmupBetaAt({ beta: 1, warmupSteps: 100 }, 25)).toBe(0.25);
  });

  it('restores its state and refuses a bad one', () => {
    const c = warmupController.create({ beta: 1, warmupSteps: 10 });
    c.setState({ beta: 0.3, step: 3 }); // a state saved before β was derived: β follows the step
    expect(c.beta).toBeCloseTo(0.3, 12);
    expect(c.getState()).toEqual({ step: 3 });
    c.update({ klNats: 1, step: 3, totalSteps: 100 });
    expect(c.beta).toBeCloseTo(0.4, 12);
    expect(() => c.setState({ step: -1 })).toThrow(ConfigError);
    expect(() => createFromEntry('warmup', { warmupSteps: 0 })).toThrow(/controller\.config\.warmupSteps/);
  });
});

describe('cyclical annealing (Fu et al. 2019)', () => {
  it('T = 100, M = 4, R = 0.5: each 25-step cycle rises over 12.5 steps from 0 to β, then holds; it restarts at 0', () => {
    const cfg = { beta: 1, cycles: 4, ratio: 0.5 };
    expect(cyclicalBetaAt(cfg, 0, 100)).toBe(0);
    expect(cyclicalBetaAt(cfg, 5, 100)).toBeCloseTo(0.4, 12); // τ = 5/25 = 0.2, β = 0.2/0.5
    expect(cyclicalBetaAt(cfg, 12, 100)).toBeCloseTo(0.96, 12);
    expect(cyclicalBetaAt(cfg, 13, 100)).toBe(1);
    expect(cyclicalBetaAt(cfg, 24, 100)).toBe(1);
    expect(cyclicalBetaAt(cfg, 25, 100)).toBe(0);
    expect(cyclicalBetaAt(cfg, 30, 100)).toBeCloseTo(0.4, 12);
  });

  it('the controller follows the schedule from the steps it observes (M = 1, R = 1 is a warm-up over the whole run)', () => {
    const c = cyclicalController.create({ beta: 3, cycles: 1, ratio: 1 });
    const seen: number[] = [];
    for (let step = 0; step < 10; step++) {
      c.update({ klNats: 1, step, totalSteps: 10 });
      seen.push(c.beta);
    }
    // after step s, s + 1 of 10 steps are done: β = 3·(s + 1)/10, and the last update starts a new cycle at 0
    expect(seen.slice(0, 9).map((v) => Number(v.toFixed(10)))).toEqual([0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.7]);
    expect(seen[9]).toBe(0);
    expect(() => createFromEntry('cyclical', { ratio: 0 })).toThrow(/controller\.config\.ratio/);
  });

  it('saves only the step and the run length, and derives β from them on restore (a saved β is ignored)', () => {
    const a = cyclicalController.create({ beta: 1, cycles: 2, ratio: 0.5 });
    for (let step = 0; step < 10; step++) a.update({ klNats: 1, step, totalSteps: 100 });
    expect(a.getState()).toEqual({ step: 10, totalSteps: 100 });
    const b = cyclicalController.create({ beta: 1, cycles: 2, ratio: 0.5 });
    b.setState({ beta: 0.123, step: 10, totalSteps: 100 }); // as saved before: τ = 10/50 = 0.2, β = 0.2/0.5
    expect(b.beta).toBeCloseTo(0.4, 12);
    expect(b.beta).toBe(a.beta);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../errors/config-error.js';
import { NoSuchPluginError } from '../../errors/no-such-plugin-error.js';
import { createRegistry } from '../../registry/registry.js';
import '../../plugins/kinds.js';
import { estimateInformation } from './estimate-information.js';
import { registerEstimators } from './register-estimators.js';

describe('estimateInformation (estimators by registered name)', () => {
  const registry = createRegistry();
  registerEstimators(registry);

  it('binning: four distinct one-hot patterns give I(X;T) = H(T) = 2 bits and I(T;Y) = H(Y) = 1 bit', () => {
    const activations = { data: Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]), n: 4, d: 2 };
    const r = estimateInformation(registry, 'binning', { activations, labels: [0, 0, 1, 1] }, { bins: 2, range: { low: 0, high: 1 } });
    expect(r.ixt?.bits).toBeCloseTo(2, 12);
    expect(r.ity?.bits).toBeCloseTo(1, 12);
  });

  it('reaches a third-party estimator registered under its own name', () => {
    const own = createRegistry();
    own.register('estimator', {
      name: 'constant',
      description: 'always log 2 nats (tests only)',
      input: 'activations',
      configSchema: z.strictObject({}),
      estimate: () => ({ ixt: { nats: Math.LN2, bits: 1 } }),
    });
    expect(estimateInformation(own, 'constant', { activations: { data: new Float64Array(2), n: 1, d: 2 }, labels: [0] }).ixt?.bits).toBe(1);
  });

  it('names unknown estimators, score-based ones and bad configs clearly', () => {
    const data = { activations: { data: new Float64Array(2), n: 1, d: 2 }, labels: [0] };
    expect(() => estimateInformation(registry, 'binnning', data)).toThrow(NoSuchPluginError);
    expect(() => estimateInformation(registry, 'infonce', data)).toThrow(/reads critic scores.*binning, kde-upper, kde-lower/);
    expect(() => estimateInformation(registry, 'binning', data, { bins: 0 })).toThrow(ConfigError);
  });
});

import { z } from 'zod';
import type { ActivationEstimatorPlugin } from '../../plugins/estimator-plugin.js';
import { binningInformation } from '../binning.js';

/** Config of {@link binningEstimator}. */
export const binningConfigSchema = z.strictObject({
  /** Equal-width bins per unit (Shwartz-Ziv & Tishby 2017 used 30). */
  bins: z.number().int().min(1).default(30),
  /** Bin range: the data's min/max, an activation's range, or fixed bounds. */
  range: z
    .union([z.enum(['data', 'tanh', 'sigmoid', 'relu']), z.strictObject({ low: z.number().finite(), high: z.number().finite() })])
    .default('data'),
});

/** Parsed config of {@link binningEstimator}. */
export type BinningEstimatorConfig = z.output<typeof binningConfigSchema>;

/**
 * The binning estimator of I(X;T) = H(T) and I(T;Y) (Shwartz-Ziv & Tishby 2017); see {@link binningInformation}.
 * @example
 * ```ts
 * const r = binningEstimator.estimate({ activations, labels }, { bins: 30, range: 'tanh' });
 * r.ixt?.bits;
 * ```
 */
export const binningEstimator: ActivationEstimatorPlugin<BinningEstimatorConfig> = {
  name: 'binning',
  description: 'Binning estimate of I(X;T) = H(T) and I(T;Y) from activations (Shwartz-Ziv & Tishby 2017)',
  input: 'activations',
  configSchema: binningConfigSchema,
  estimate(data, config) {
    const c = config;
    const r = binningInformation(data.activations, data.labels, {
      bins: c.bins,
      range: c.range,
      ...(data.numClasses === undefined ? {} : { numClasses: data.numClasses }),
    });
    return { ixt: r.ixt, ity: r.ity, extraNats: { hT: r.hT.nats, hTGivenY: r.hTGivenY.nats, distinctPatterns: r.distinctPatterns } };
  },
};

import { z } from 'zod';
import type { ActivationEstimatorPlugin } from '../../plugins/estimator-plugin.js';
import { DEFAULT_KDE_NOISE_VARIANCE, kdeSides, type KdeSide } from '../kde.js';

/** Config of the KDE estimators. */
export const kdeConfigSchema = z.strictObject({
  /** Noise variance σ² of T = h + N(0, σ²I) (Saxe et al. 2018 used 0.1). */
  noiseVariance: z.number().finite().positive().default(DEFAULT_KDE_NOISE_VARIANCE),
});

/** Parsed config of the KDE estimators. */
export type KdeEstimatorConfig = z.output<typeof kdeConfigSchema>;

function kdePlugin(side: 'upper' | 'lower', description: string): ActivationEstimatorPlugin<KdeEstimatorConfig> {
  const name = `kde-${side}`;
  return {
    name,
    description,
    input: 'activations',
    configSchema: kdeConfigSchema,
    estimate(data, config) {
      const c = config;
      const options = { noiseVariance: c.noiseVariance, ...(data.numClasses === undefined ? {} : { numClasses: data.numClasses }) };
      // this side's sums alone: half the exponentials of both sides'
      const [r] = kdeSides(data.activations, data.labels, options, [side]) as [KdeSide];
      return { ixt: r.ixt, ity: r.ity, extraNats: { hT: r.hT.nats, hTGivenY: r.hTGivenY.nats } };
    },
  };
}

/**
 * KDE estimate with the KL-distance (upper) mixture-entropy bound (Kolchinsky & Tracey 2017; Saxe et al. 2018);
 * see {@link kdeInformation}.
 */
export const kdeUpperEstimator = kdePlugin(
  'upper',
  'KDE upper bound on I(X;T), and I(T;Y), of T = h + noise via KL pairwise distances (Kolchinsky & Tracey 2017)',
);

/**
 * KDE estimate with the Bhattacharyya-distance (lower) mixture-entropy bound (Kolchinsky & Tracey 2017);
 * see {@link kdeInformation}.
 */
export const kdeLowerEstimator = kdePlugin(
  'lower',
  'KDE lower bound on I(X;T), and I(T;Y), of T = h + noise via Bhattacharyya distances (Kolchinsky & Tracey 2017)',
);

import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { ScoreEstimatorPlugin } from '../../plugins/estimator-plugin.js';
import { information } from '../../units/units.js';
import { infoNceLowerBound } from '../infonce.js';
import { jsLowerBound } from '../js.js';
import { createMineEstimator, dvLowerBound } from '../mine.js';
import { nwjLowerBound } from '../nwj.js';

/**
 * Config schema of the stateless critic bounds ({@link infoNceEstimator}, {@link nwjEstimator},
 * {@link jsEstimator}): an empty strict object, so any key is rejected.
 */
export const criticBoundConfigSchema = z.strictObject({});

/** Config of the stateless critic bounds (none: `{}`). */
export type CriticBoundConfig = z.output<typeof criticBoundConfigSchema>;

function statelessBound(
  name: string,
  description: string,
  bound: (scores: tf.Tensor2D) => tf.Scalar,
  extraNats?: (scores: tf.Tensor2D) => Record<string, number>,
): ScoreEstimatorPlugin<CriticBoundConfig> {
  return {
    name,
    description,
    input: 'scores',
    configSchema: criticBoundConfigSchema,
    estimate(scores, config) {
      const nats = tf.tidy(() => bound(scores).dataSync()[0]!);
      return extraNats ? { mi: information(nats), extraNats: extraNats(scores) } : { mi: information(nats) };
    },
    createObjective(config) {
      return { loss: (scores) => tf.tidy(() => tf.neg(bound(scores)) as tf.Scalar) };
    },
  };
}

/** InfoNCE (≤ log B; Poole et al. 2019); `extraNats.ceiling` is log B. See {@link infoNceLowerBound}. */
export const infoNceEstimator = statelessBound(
  'infonce',
  'InfoNCE lower bound on I(X;Y), capped at log B (van den Oord et al. 2018)',
  infoNceLowerBound,
  (scores) => ({ ceiling: Math.log(scores.shape[0]) }),
);

/** NWJ / f-GAN KL bound (Nguyen et al. 2010; Poole et al. 2019). See {@link nwjLowerBound}. */
export const nwjEstimator = statelessBound('nwj', 'NWJ lower bound E_p[f] − e^{−1}E_q[e^f] on I(X;Y) (Nguyen et al. 2010)', nwjLowerBound);

/** JS-trained, NWJ-evaluated bound (Poole et al. 2019). See {@link jsLowerBound}. */
export const jsEstimator = statelessBound('js', 'Jensen–Shannon-trained, NWJ-evaluated lower bound on I(X;Y) (Poole et al. 2019)', jsLowerBound);

/** Config of {@link mineEstimator}. */
export const mineConfigSchema = z.strictObject({
  /** Decay of the moving average of E_q[e^f] used in the gradient, in [0, 1). */
  emaDecay: z.number().min(0).lt(1).default(0.99),
});

/** Parsed config of {@link mineEstimator}. */
export type MineEstimatorConfig = z.output<typeof mineConfigSchema>;

/** MINE: the Donsker–Varadhan bound with a moving-average gradient (Belghazi et al. 2018). See {@link createMineEstimator}. */
export const mineEstimator: ScoreEstimatorPlugin<MineEstimatorConfig> = {
  name: 'mine',
  description: 'MINE: Donsker–Varadhan lower bound on I(X;Y) with a moving-average gradient (Belghazi et al. 2018)',
  input: 'scores',
  configSchema: mineConfigSchema,
  estimate(scores, config) {
    return { mi: information(tf.tidy(() => dvLowerBound(scores).dataSync()[0]!)) };
  },
  createObjective(config) {
    const c = config;
    const mine = createMineEstimator({ emaDecay: c.emaDecay });
    return { loss: (scores) => mine.loss(scores) };
  },
};

import * as tf from '@tensorflow/tfjs';
import type { Categorical } from '../../distributions/categorical.js';
import type { KLRuleResult } from '../kl-types.js';

/**
 * KL between categoricals, Σ_c π_p,c (log π_p,c − log π_q,c). perDim is null: the classes are
 * one event, not independent dimensions.
 * @param p - the first categorical
 * @param q - the second categorical (same number of classes)
 * @returns total [B] in nats
 */
export function klCategoricalCategorical(p: Categorical, q: Categorical): KLRuleResult {
  const lp = p.logProbs();
  const total = tf.sum(tf.mul(tf.exp(lp), tf.sub(lp, q.logProbs())), -1);
  return { total: tf.broadcastTo(total, [Math.max(p.batchSize, q.batchSize)]), perDim: null };
}

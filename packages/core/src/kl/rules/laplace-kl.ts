import * as tf from '@tensorflow/tfjs';
import type { Laplace } from '../../distributions/laplace.js';
import type { KLRuleResult } from '../kl-types.js';

/**
 * KL between factorized Laplace distributions, per dimension with d = |μ_p − μ_q|:
 * log(b_q/b_p) + d/b_q + (b_p/b_q)·exp(−d/b_p) − 1 (see e.g. Gil, Alajaji & Linder 2013).
 * @param p - the first Laplace
 * @param q - the second Laplace
 * @returns total [B] and perDim [B,K] in nats
 */
export function klLaplaceLaplace(p: Laplace, q: Laplace): KLRuleResult {
  const d = tf.abs(tf.sub(p.loc, q.loc));
  const logRatio = tf.sub(q.logScale, p.logScale);
  const shift = tf.mul(d, tf.exp(tf.neg(q.logScale)));
  const tail = tf.exp(tf.sub(tf.neg(logRatio), tf.mul(d, tf.exp(tf.neg(p.logScale)))));
  const perDim = tf.broadcastTo(tf.sub(tf.add(tf.add(logRatio, shift), tail), 1), [
    Math.max(p.batchSize, q.batchSize),
    p.eventSize,
  ]);
  return { total: tf.sum(perDim, -1), perDim };
}

import * as tf from '@tensorflow/tfjs';
import type { SquashedGaussian } from '../../distributions/squashed-gaussian.js';
import type { Uniform } from '../../distributions/uniform.js';
import type { KLRuleContext, KLRuleResult } from '../kl-types.js';
import { expectBoxInside } from './box-check.js';

const LOG_2PIE = Math.log(2 * Math.PI) + 1;

/**
 * KL(SquashedGaussian ‖ Uniform) = −H(p) + Σ_k log(width_q,k), finite when the squash box lies
 * inside the uniform box (checked with `dataSync`). Per dimension, with u ~ N(μ, σ²):
 * −H(p_k) = −½(log 2πe + logVar_k) − log(high − low) + E[softplus(u_k) + softplus(−u_k)];
 * the Gaussian entropy is exact and only the last expectation is sampled (`context.samples`
 * reparameterized draws), so the result is an estimate (`samples` set) and gradients flow.
 * @param p - the squashed Gaussian
 * @param q - the uniform box
 * @param context - sample count and seed
 * @returns total [B] and perDim [B,K] in nats, with the sample count
 * @throws {@link InfiniteKLError} naming the row and dimension where p's box leaves q's
 */
export function klSquashedGaussianUniform(p: SquashedGaussian, q: Uniform, context: KLRuleContext): KLRuleResult {
  const shape: [number, number] = [Math.max(p.batchSize, q.batchSize), p.eventSize];
  expectBoxInside(p.typeName, q.typeName, tf.scalar(p.low), tf.scalar(p.high), q.low, q.high, shape);
  const u = p.samplePreSquash(context.samples, context.seed);
  const jacobian = tf.mean(tf.add(tf.softplus(u), tf.softplus(tf.neg(u))), 0);
  const gaussEntropy = tf.mul(tf.add(p.logVar, LOG_2PIE), 0.5);
  const negEntropy = tf.sub(tf.sub(jacobian, gaussEntropy), Math.log(p.high - p.low));
  const perDim = tf.broadcastTo(tf.add(negEntropy, tf.log(tf.sub(q.high, q.low))), shape);
  return { total: tf.sum(perDim, -1), perDim, samples: context.samples };
}

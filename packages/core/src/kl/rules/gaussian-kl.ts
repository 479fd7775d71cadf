import * as tf from '@tensorflow/tfjs';
import type { DiagonalGaussian } from '../../distributions/diagonal-gaussian.js';
import type { StandardNormal } from '../../distributions/standard-normal.js';
import type { KLRuleResult } from '../kl-types.js';
import { stdNormalKLPerDim } from '../../fused/std-normal-kl.js';

/** Broadcast a per-dimension tensor to [B,K] and sum it to [B]. */
function finish(perDim: tf.Tensor, batch: number, k: number): KLRuleResult {
  const pd = tf.broadcastTo(perDim, [batch, k]);
  return { total: tf.sum(pd, -1), perDim: pd };
}

/**
 * KL(N(μ, diag σ²) ‖ N(0, I)) by the seeds' formula (Su 2018; Kingma & Welling 2014, App. B):
 * per dimension −½(1 + logVar − μ² − exp(logVar)) (one fused kernel where the backend has it).
 * @param p - the posterior
 * @param q - the standard normal
 * @returns total [B] and perDim [B,K] in nats
 */
export function klDiagonalGaussianStandardNormal(p: DiagonalGaussian, q: StandardNormal): KLRuleResult {
  const perDim = stdNormalKLPerDim(p.loc, p.logVar);
  return finish(perDim, Math.max(p.batchSize, q.batchSize), p.eventSize);
}

/**
 * KL between diagonal Gaussians, per dimension
 * ½(logVar_q − logVar_p + (σ_p² + (μ_p − μ_q)²)/σ_q² − 1).
 * @param p - the first Gaussian
 * @param q - the second Gaussian
 * @returns total [B] and perDim [B,K] in nats
 */
export function klDiagonalGaussianDiagonalGaussian(p: DiagonalGaussian, q: DiagonalGaussian): KLRuleResult {
  const ratio = tf.mul(tf.add(tf.exp(p.logVar), tf.square(tf.sub(p.loc, q.loc))), tf.exp(tf.neg(q.logVar)));
  const perDim = tf.mul(tf.sub(tf.add(tf.sub(q.logVar, p.logVar), ratio), 1), 0.5);
  return finish(perDim, Math.max(p.batchSize, q.batchSize), p.eventSize);
}

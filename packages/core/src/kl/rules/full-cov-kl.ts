import * as tf from '@tensorflow/tfjs';
import type { DiagonalGaussian } from '../../distributions/diagonal-gaussian.js';
import { FullCovGaussian } from '../../distributions/full-cov-gaussian.js';
import type { StandardNormal } from '../../distributions/standard-normal.js';
import { solveLowerTriangular } from '../../distributions/triangular.js';
import type { KLRuleResult } from '../kl-types.js';

/**
 * KL between full-covariance Gaussians with Σ = L·Lᵀ:
 * ½[tr(Σ_q⁻¹Σ_p) + (μ_q − μ_p)ᵀΣ_q⁻¹(μ_q − μ_p) − K] + Σ log diag L_q − Σ log diag L_p,
 * with tr(Σ_q⁻¹Σ_p) = ‖L_q⁻¹L_p‖²_F. Does not factorize (perDim null).
 * @param p - the first Gaussian
 * @param q - the second Gaussian
 * @returns total [B] in nats
 */
export function klFullCovFullCov(p: FullCovGaussian, q: FullCovGaussian): KLRuleResult {
  const lq = q.tril();
  const trace = tf.sum(tf.square(solveLowerTriangular(lq, p.tril())), [1, 2]);
  const delta = tf.expandDims(tf.sub(q.loc, p.loc), -1);
  const maha = tf.sum(tf.square(solveLowerTriangular(lq, delta)), [1, 2]);
  const half = tf.mul(tf.sub(tf.add(trace, maha), p.eventSize), 0.5);
  const total = tf.add(half, tf.sub(q.halfLogDet(), p.halfLogDet()));
  return { total: tf.broadcastTo(total, [Math.max(p.batchSize, q.batchSize)]), perDim: null };
}

/**
 * KL(N(μ_p, L_pL_pᵀ) ‖ N(μ_q, diag σ_q²)):
 * ½[Σ_i (Σ_p)_ii/σ_qi² + Σ_i (μ_qi − μ_pi)²/σ_qi² − K + Σ_i logVar_qi] − Σ log diag L_p.
 * @param p - the full-covariance Gaussian
 * @param q - the diagonal Gaussian
 * @returns total [B] in nats (perDim null: p does not factorize)
 */
export function klFullCovDiagonalGaussian(p: FullCovGaussian, q: DiagonalGaussian): KLRuleResult {
  const varP = tf.sum(tf.square(p.tril()), -1);
  const prec = tf.exp(tf.neg(q.logVar));
  const terms = tf.add(tf.mul(tf.add(varP, tf.square(tf.sub(q.loc, p.loc))), prec), q.logVar);
  const half = tf.mul(tf.sub(tf.sum(terms, -1), p.eventSize), 0.5);
  const total = tf.sub(half, p.halfLogDet());
  return { total: tf.broadcastTo(total, [Math.max(p.batchSize, q.batchSize)]), perDim: null };
}

/**
 * KL(N(μ, L·Lᵀ) ‖ N(0, I)) = ½(‖L‖²_F + ‖μ‖² − K) − Σ log diag L.
 * @param p - the full-covariance Gaussian
 * @param q - the standard normal
 * @returns total [B] in nats (perDim null)
 */
export function klFullCovStandardNormal(p: FullCovGaussian, q: StandardNormal): KLRuleResult {
  const fro = tf.sum(tf.square(p.tril()), [1, 2]);
  const norm = tf.sum(tf.square(p.loc), -1);
  const total = tf.sub(tf.mul(tf.sub(tf.add(fro, norm), p.eventSize), 0.5), p.halfLogDet());
  return { total: tf.broadcastTo(total, [Math.max(p.batchSize, q.batchSize)]), perDim: null };
}

/**
 * KL(N(μ_p, diag σ_p²) ‖ N(μ_q, L_qL_qᵀ)), by writing p with the factor diag(σ_p).
 * @param p - the diagonal Gaussian
 * @param q - the full-covariance Gaussian
 * @returns total [B] in nats (perDim null: q does not factorize)
 */
export function klDiagonalGaussianFullCov(p: DiagonalGaussian, q: FullCovGaussian): KLRuleResult {
  const k = p.eventSize;
  const tril = tf.mul(tf.eye(k), tf.expandDims(tf.exp(tf.mul(p.logVar, 0.5)), -1));
  return klFullCovFullCov(new FullCovGaussian(p.loc, tril, { validateArgs: false }), q);
}

import * as tf from '@tensorflow/tfjs';
import { InfiniteKLError } from '../errors/infinite-kl-error.js';
import { NegativeKLError } from '../errors/negative-kl-error.js';
import { NoKLError } from '../errors/no-kl-error.js';

/**
 * How unlikely a Monte Carlo KL estimate must be, for normalized densities, before {@link expectFiniteEstimate}
 * calls it impossible: e^−40 (about 4·10⁻¹⁸) per estimate.
 */
export const NEGATIVE_KL_LOG_ODDS = 40;
/** The least shortfall below 0 (nats per row) that is refused, whatever the sample count: float32 rounding stays far under it. */
export const NEGATIVE_KL_FLOOR_NATS = 0.01;

/**
 * The most negative mean of `draws` Monte Carlo terms log p(z) − log q(z), z ~ p, that normalized densities give
 * but with probability e^−{@link NEGATIVE_KL_LOG_ODDS}: by Markov's inequality on e^−(sum of the terms), whose mean
 * is Π E_p[q/p] ≤ 1 for independent draws, P(mean ≤ −t) ≤ e^−(draws·t). A KL cannot be negative; an estimate this far
 * below 0 means a log-density that is not normalized (or draws not from p).
 * @param draws - independent terms behind the mean (rows × samples)
 * @returns t in nats, at least {@link NEGATIVE_KL_FLOOR_NATS}
 */
export function negativeKLBound(draws: number): number {
  return Math.max(NEGATIVE_KL_LOG_ODDS / Math.max(draws, 1), NEGATIVE_KL_FLOOR_NATS);
}

/**
 * Throw unless every value of a sampled KL estimate is finite, and their mean is not negative beyond what sampling
 * explains ({@link negativeKLBound}). Reads the values back with `dataSync` (a device sync), so it is used only for
 * Monte Carlo estimates, and skipped on webgpu, which has no synchronous read in Node (a non-finite estimate then
 * surfaces as a non-finite loss, which training reports).
 * @param pName - type name of p
 * @param qName - type name of q
 * @param total - the estimate, shape [B]: each row the mean of `samples` terms log p(z) − log q(z)
 * @param samples - the draws behind each row (default 1, which makes the negative check the loosest)
 * @throws {@link InfiniteKLError} when some row is +∞ (samples of p fell where q has density 0)
 * @throws {@link NoKLError} when some row is NaN (log p − log q undefined at a sample)
 * @throws {@link NegativeKLError} when the rows' mean is below −{@link negativeKLBound}(rows × samples)
 */
export function expectFiniteEstimate(pName: string, qName: string, total: tf.Tensor, samples = 1): void {
  if (tf.getBackend() === 'webgpu') return;
  const values = total.dataSync();
  let sum = 0;
  for (let b = 0; b < values.length; b++) {
    const v = values[b] ?? Number.NaN;
    if (Number.isNaN(v)) {
      throw new NoKLError(
        `Monte Carlo KL(${pName} ‖ ${qName}) is NaN in batch row ${b}: log p − log q is undefined at some sample; ` +
          'check the parameters for NaN, or register a closed form for this pair',
        { details: { p: pName, q: qName, row: b } },
      );
    }
    if (!Number.isFinite(v)) {
      throw new InfiniteKLError(
        `KL(${pName} ‖ ${qName}) is infinite in batch row ${b}: samples of p fall where q has zero density; ` +
          'make the support of p lie inside the support of q (e.g. a squashed posterior for a uniform prior)',
        { details: { p: pName, q: qName, row: b } },
      );
    }
    sum += v;
  }
  if (values.length === 0) return;
  const mean = sum / values.length;
  const draws = values.length * samples;
  const bound = negativeKLBound(draws);
  if (mean < -bound) {
    throw new NegativeKLError(
      `Monte Carlo KL(${pName} ‖ ${qName}) is ${mean.toPrecision(4)} nats (the mean of ${values.length} row(s) of ${samples} sample(s)): ` +
        `a KL is never negative, and for normalized densities a mean of ${draws} draws falls below −${bound.toPrecision(3)} nats with probability under e^−${NEGATIVE_KL_LOG_ODDS}. ` +
        `So the log-density of ${pName} or of ${qName} is not normalized (about ${(-mean).toPrecision(3)} nats too high for ${qName}, or too low for ${pName}: a constant left out?), ` +
        `or ${pName}.sample does not draw from ${pName}.logProb's density: check the two against each other`,
      { details: { p: pName, q: qName, meanNats: mean, rows: values.length, samples, boundNats: bound } },
    );
  }
}

/**
 * Throw unless every row of a closed-form KL is finite: the one rule for an infinite KL (a Gaussian of
 * zero scale, a support outside the prior's) is an {@link InfiniteKLError}, as for uniform boxes and
 * Monte Carlo estimates, never a +∞ passed on as exact. Reads the values back (a device sync); skipped on
 * webgpu, which has no synchronous read in Node (a non-finite KL then surfaces as a non-finite loss).
 * @param pName - type name of p
 * @param qName - type name of q
 * @param values - the rule's KL per row, read back by the caller (which skips webgpu)
 * @throws {@link InfiniteKLError} when some row is ±∞
 * @throws {@link NoKLError} when some row is NaN
 */
export function expectFiniteKL(pName: string, qName: string, values: ArrayLike<number>): void {
  for (let b = 0; b < values.length; b++) {
    const v = values[b] ?? Number.NaN;
    if (Number.isNaN(v)) {
      throw new NoKLError(`KL(${pName} ‖ ${qName}) is NaN in batch row ${b}: a parameter is NaN or outside its domain; check the parameters`, {
        details: { p: pName, q: qName, row: b },
      });
    }
    if (!Number.isFinite(v)) {
      throw new InfiniteKLError(
        `KL(${pName} ‖ ${qName}) is infinite in batch row ${b}: p puts mass where q has (almost) none, e.g. a zero or infinite scale; keep scales finite and positive`,
        { details: { p: pName, q: qName, row: b } },
      );
    }
  }
}

import * as tf from '@tensorflow/tfjs';
import { InfiniteKLError } from '../errors/infinite-kl-error.js';
import { NoKLError } from '../errors/no-kl-error.js';

/**
 * Throw unless every value of a sampled KL estimate is finite. Reads the values back with
 * `dataSync` (a device sync), so it is used only for Monte Carlo estimates, and skipped on webgpu, which has no
 * synchronous read in Node (a non-finite estimate then surfaces as a non-finite loss, which training reports).
 * @param pName - type name of p
 * @param qName - type name of q
 * @param total - the estimate, shape [B]
 * @throws {@link InfiniteKLError} when some row is +∞ (samples of p fell where q has density 0)
 * @throws {@link NoKLError} when some row is NaN (log p − log q undefined at a sample)
 */
export function expectFiniteEstimate(pName: string, qName: string, total: tf.Tensor): void {
  if (tf.getBackend() === 'webgpu') return;
  const values = total.dataSync();
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
  }
}

/**
 * Throw unless every row of a closed-form KL is finite: the one rule for an infinite KL (a Gaussian of
 * zero scale, a support outside the prior's) is an {@link InfiniteKLError}, as for uniform boxes and
 * Monte Carlo estimates, never a +∞ passed on as exact. Reads the values back (a device sync); skipped on
 * webgpu, which has no synchronous read in Node (a non-finite KL then surfaces as a non-finite loss).
 * @param pName - type name of p
 * @param qName - type name of q
 * @param total - the closed form, shape [B]
 * @throws {@link InfiniteKLError} when some row is ±∞
 * @throws {@link NoKLError} when some row is NaN
 */
export function expectFiniteKL(pName: string, qName: string, total: tf.Tensor): void {
  if (tf.getBackend() === 'webgpu') return;
  const values = total.dataSync();
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

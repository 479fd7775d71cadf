import { DataError } from '../errors/data-error.js';
import { ShapeError } from '../errors/shape-error.js';
import { information, type Information } from '../units/units.js';
import { checkLabels } from './activations.js';

/**
 * Plug-in entropy H(Y) of the empirical label distribution, H = −Σ_c p_c log p_c.
 *
 * This is the H(Y) in the VIB lower bound I(Z;Y) ≥ H(Y) − CE (seed 003; Alemi et al. 2017).
 *
 * @param labels - integer class labels in [0, numClasses)
 * @param numClasses - number of classes
 * @returns H(Y) in nats and bits
 * @throws {@link ShapeError} when `labels` is empty
 * @throws {@link DataError} when a label lies outside [0, numClasses)
 * @example
 * ```ts
 * labelEntropy([0, 1, 2, 3], 4).bits; // 2
 * ```
 */
export function labelEntropy(labels: ArrayLike<number>, numClasses: number): Information {
  if (labels.length === 0) throw new ShapeError('labelEntropy needs at least one label, got none');
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new DataError(`numClasses must be a positive integer, got ${numClasses}`);
  }
  const { labels: y } = checkLabels(labels, labels.length, numClasses);
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < y.length; i++) counts[y[i]!]! += 1;
  return information(entropyOfCounts(counts, y.length));
}

/**
 * Entropy in nats of the distribution given by counts.
 * @param counts - non-negative counts
 * @param total - their sum
 * @returns −Σ (c/total) log(c/total)
 */
export function entropyOfCounts(counts: Iterable<number>, total: number): number {
  let h = 0;
  for (const c of counts) {
    if (c > 0) {
      const p = c / total;
      h -= p * Math.log(p);
    }
  }
  return h;
}

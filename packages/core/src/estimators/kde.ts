import { information, type Information } from '../units/units.js';
import { checkActivations, checkLabels, type ActivationMatrix } from './activations.js';
import { checkVariance, distanceScales, gaussianComponentEntropyNats, pairwiseLogSums } from './mixture-entropy.js';

/**
 * Default noise variance σ² added to the activations, T = h + N(0, σ²I): 0.1, the value
 * Saxe et al. (2018) used for their information-plane estimates.
 */
export const DEFAULT_KDE_NOISE_VARIANCE = 0.1;

/** Options of {@link kdeInformation}. */
export interface KdeOptions {
  /** Noise variance σ² (default {@link DEFAULT_KDE_NOISE_VARIANCE}). */
  readonly noiseVariance?: number;
  /** Number of classes of the labels (default: max label + 1). */
  readonly numClasses?: number;
}

/** One side (upper or lower) of the KDE estimate. */
export interface KdeSide {
  /** I(X;T) = H(T) − H(T|X), H(T|X) = (d/2)·log(2πeσ²) exactly. */
  readonly ixt: Information;
  /** I(T;Y) = H(T) − H(T|Y), both entropies from the same estimator. */
  readonly ity: Information;
  /** Mixture entropy H(T). */
  readonly hT: Information;
  /** H(T|Y) = Σ_y p(y) H(T | Y=y) from the class-conditional mixtures. */
  readonly hTGivenY: Information;
}

/** Result of {@link kdeInformation}. */
export interface KdeResult {
  /** From the KL-distance (upper) entropy bound. */
  readonly upper: KdeSide;
  /** From the Bhattacharyya-distance (lower) entropy bound. */
  readonly lower: KdeSide;
  /** The σ² used. */
  readonly noiseVariance: number;
}

/**
 * KDE estimates of the information plane coordinates of a layer, after Saxe et al. (2018), using
 * the pairwise-distance mixture-entropy bounds of Kolchinsky & Tracey (2017).
 *
 * The layer output is made stochastic, T = h(X) + N(0, σ²I), with X uniform over the n rows, so
 * T is an equal-weight Gaussian mixture. H(T|X) is the component entropy exactly, hence
 * `upper.ixt` and `lower.ixt` bracket I(X;T). I(T;Y) is H(T) − H(T|Y) with both entropies from the
 * same bound (as Saxe et al. report it): a difference of bounds, not itself a strict bound.
 * Cost is O(n²d) time and O(n) memory.
 *
 * @param activations - the layer's activations h [n, d]
 * @param labels - class label of each row
 * @param options - noise variance, number of classes
 * @returns upper- and lower-bound estimates, in nats and bits
 * @throws {@link ConfigError} when the noise variance is not positive
 * @throws {@link ShapeError} / {@link DataError} for inconsistent activations or labels
 * @example
 * ```ts
 * const t = { data: new Float64Array([-10, -10, 10, 10]), n: 4, d: 1 };
 * kdeInformation(t, [0, 0, 1, 1]).upper.ity.bits; // ≈ 1
 * ```
 */
export function kdeInformation(activations: ActivationMatrix, labels: ArrayLike<number>, options: KdeOptions = {}): KdeResult {
  const [upper, lower] = kdeSides(activations, labels, options, ['upper', 'lower']) as [KdeSide, KdeSide];
  return { upper, lower, noiseVariance: options.noiseVariance ?? DEFAULT_KDE_NOISE_VARIANCE };
}

/**
 * The sides of {@link kdeInformation} asked for, from one pass over the pairs (each side's sums have the same bits
 * whether the other is computed beside it or not): the estimator plugins ask for the one they report.
 * @param activations - the layer's activations h [n, d]
 * @param labels - class label of each row
 * @param options - noise variance, number of classes
 * @param sides - `upper`, `lower`, or both
 * @returns the estimates, in `sides` order
 * @throws as {@link kdeInformation}
 */
export function kdeSides(
  activations: ActivationMatrix,
  labels: ArrayLike<number>,
  options: KdeOptions,
  sides: readonly ('upper' | 'lower')[],
): KdeSide[] {
  const variance = options.noiseVariance ?? DEFAULT_KDE_NOISE_VARIANCE;
  checkVariance(variance);
  checkActivations(activations);
  const { n, d } = activations;
  const { labels: y, numClasses } = checkLabels(labels, n, options.numClasses);
  const classCounts = new Float64Array(numClasses);
  for (let i = 0; i < n; i++) classCounts[y[i]!]! += 1;
  const [kl, bd] = distanceScales(variance);
  const hc = gaussianComponentEntropyNats(d, variance);
  const logN = Math.log(n);
  return pairwiseLogSums(activations, sides.map((side) => (side === 'upper' ? kl : bd)), y).map((sums) => {
    let ixt = 0;
    let cond = 0;
    for (let i = 0; i < n; i++) {
      ixt -= sums.all[i]! - logN;
      cond -= sums.group[i]! - Math.log(classCounts[y[i]!]!);
    }
    const [ixtNats, condNats] = [ixt / n, cond / n];
    return {
      ixt: information(ixtNats),
      ity: information(ixtNats - condNats),
      hT: information(hc + ixtNats),
      hTGivenY: information(hc + condNats),
    };
  });
}

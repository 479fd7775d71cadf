import { ConfigError } from '../errors/config-error.js';
import { information, type Information } from '../units/units.js';
import { checkActivations, checkLabels, type ActivationMatrix } from './activations.js';
import { resolveBinRange, type BinRange } from './bin-range.js';
import { entropyOfCounts } from './label-entropy.js';

/** Options of {@link binningInformation}. */
export interface BinningOptions {
  /** Number of equal-width bins per unit (default 30, as in Shwartz-Ziv & Tishby 2017). */
  readonly bins?: number;
  /** Where the bins span (default `data`: min/max of the activations). */
  readonly range?: BinRange;
  /** Number of classes of the labels (default: max label + 1). */
  readonly numClasses?: number;
}

/** Result of {@link binningInformation}. */
export interface BinningResult {
  /** I(X;T) = H(T) for a deterministic layer with X uniform over the rows. */
  readonly ixt: Information;
  /** I(T;Y) = H(T) − H(T|Y). */
  readonly ity: Information;
  /** H(T) of the binned activations. */
  readonly hT: Information;
  /** H(T|Y) = Σ_y p(y) H(T | Y=y). */
  readonly hTGivenY: Information;
  /** Number of distinct binned patterns observed. */
  readonly distinctPatterns: number;
  /** The bin range used, [low, high]. */
  readonly range: readonly [number, number];
}

/**
 * Binning estimate of the information plane coordinates of one layer (Shwartz-Ziv & Tishby 2017).
 *
 * Each unit's activation is put into one of `bins` equal-width bins; a row's tuple of bin indices
 * is its discrete state T. With X uniform over the n distinct inputs (row i is input i) and a
 * deterministic network, H(T|X) = 0, so I(X;T) = H(T); and I(T;Y) = H(T) − H(T|Y). Estimates are
 * capped by log n and depend strongly on `bins` (Saxe et al. 2018): compare only like with like.
 *
 * @param activations - the layer's activations [n, d]
 * @param labels - the class label of each row
 * @param options - bins, range, numClasses
 * @returns I(X;T), I(T;Y) and the entropies, in nats and bits
 * @throws {@link ConfigError} when `bins` is not an integer ≥ 1, or for a bad range
 * @throws {@link ShapeError} / {@link DataError} for inconsistent activations or labels
 * @example
 * ```ts
 * const t = { data: new Float64Array([0, 1, 0, 1]), n: 4, d: 1 };
 * binningInformation(t, [0, 1, 0, 1], { bins: 2 }).ity.bits; // 1
 * ```
 */
export function binningInformation(
  activations: ActivationMatrix,
  labels: ArrayLike<number>,
  options: BinningOptions = {},
): BinningResult {
  const bins = options.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new ConfigError(`bins must be an integer ≥ 1, got ${bins}`, { details: { field: 'bins', value: bins } });
  }
  checkActivations(activations);
  const { n, d, data } = activations;
  const { labels: y, numClasses } = checkLabels(labels, n, options.numClasses);
  const [low, high] = resolveBinRange(options.range ?? 'data', activations);
  const width = (high - low) / bins;

  const all = new Map<string, number>();
  const perClass = Array.from({ length: numClasses }, () => new Map<string, number>());
  const classCounts = new Float64Array(numClasses);
  const row = new Array<number>(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const b = width > 0 ? Math.floor((data[i * d + k]! - low) / width) : 0;
      row[k] = b < 0 ? 0 : b >= bins ? bins - 1 : b;
    }
    const key = row.join(',');
    all.set(key, (all.get(key) ?? 0) + 1);
    const cls = perClass[y[i]!]!;
    cls.set(key, (cls.get(key) ?? 0) + 1);
    classCounts[y[i]!]! += 1;
  }
  const hT = entropyOfCounts(all.values(), n);
  let hTGivenY = 0;
  for (let c = 0; c < numClasses; c++) {
    const nc = classCounts[c]!;
    if (nc > 0) hTGivenY += (nc / n) * entropyOfCounts(perClass[c]!.values(), nc);
  }
  return {
    ixt: information(hT),
    ity: information(Math.max(0, hT - hTGivenY)),
    hT: information(hT),
    hTGivenY: information(hTGivenY),
    distinctPatterns: all.size,
    range: [low, high],
  };
}

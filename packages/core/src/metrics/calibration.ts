import { ConfigError } from '../errors/config-error.js';

/** One confidence bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Lower edge of the bin. */
  readonly low: number;
  /** Upper edge of the bin. */
  readonly high: number;
  /** Predictions whose confidence falls in the bin. */
  readonly count: number;
  /** Their mean confidence (max probability), or null when empty. */
  readonly confidence: number | null;
  /** Their accuracy, or null when empty. */
  readonly accuracy: number | null;
}

/** What {@link calibration} returns. */
export interface CalibrationResult {
  /** Expected calibration error Σ_b (n_b/n)·|acc_b − conf_b| (Naeini et al. 2015; Guo et al. 2017). */
  readonly ece: number;
  /** The largest |acc_b − conf_b| over non-empty bins. */
  readonly mce: number;
  /** The reliability diagram's bins. */
  readonly bins: ReliabilityBin[];
}

/**
 * Calibration of a classifier's confidences: equal-width bins of the max probability, each bin's accuracy against
 * its mean confidence, and the expected calibration error. A confidence of exactly 1 falls in the last bin.
 * @param confidences - max_y q(y|x) of each prediction, in [0, 1]
 * @param correct - whether each prediction was right (1/0 or booleans)
 * @param bins - number of bins (default 15, Guo et al. 2017)
 * @returns ECE, MCE and the bins
 * @throws {@link ConfigError} on mismatched lengths, no predictions, a confidence outside [0, 1], or bins < 1
 * @example
 * ```ts
 * calibration([0.9, 0.9, 0.6, 0.6], [1, 0, 1, 1], 10).ece; // 0.4
 * ```
 */
export function calibration(confidences: ArrayLike<number>, correct: ArrayLike<number | boolean>, bins = 15): CalibrationResult {
  const n = confidences.length;
  if (n === 0 || n !== correct.length) {
    throw new ConfigError(`calibration needs one correctness flag per confidence, got ${n} confidences and ${correct.length} flags`);
  }
  if (!Number.isInteger(bins) || bins < 1) throw new ConfigError(`calibration bins must be an integer ≥ 1, got ${bins}`);
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const c = confidences[i]!;
    if (!(c >= 0 && c <= 1)) throw new ConfigError(`confidence ${i} is ${c}: confidences are probabilities in [0, 1]`);
    const b = Math.min(bins - 1, Math.floor(c * bins));
    count[b]! += 1;
    conf[b]! += c;
    hits[b]! += Number(correct[i]);
  }
  let ece = 0;
  let mce = 0;
  const out: ReliabilityBin[] = count.map((k, b) => {
    if (k === 0) return { low: b / bins, high: (b + 1) / bins, count: 0, confidence: null, accuracy: null };
    const gap = Math.abs(hits[b]! / k - conf[b]! / k);
    ece += (k / n) * gap;
    mce = Math.max(mce, gap);
    return { low: b / bins, high: (b + 1) / bins, count: k, confidence: conf[b]! / k, accuracy: hits[b]! / k };
  });
  return { ece, mce, bins: out };
}

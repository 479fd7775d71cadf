import { ConfigError } from '../errors/config-error.js';

function checkScores(inScores: ArrayLike<number>, outScores: ArrayLike<number>): void {
  if (inScores.length === 0 || outScores.length === 0) {
    throw new ConfigError(`OOD metrics need scores of both sets, got ${inScores.length} in-distribution and ${outScores.length} out-of-distribution: pass non-empty arrays`);
  }
  for (const a of [inScores, outScores]) {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) throw new ConfigError(`OOD score ${i} is ${a[i]}: scores must be finite numbers`);
    }
  }
}

/** Scores of both sets sorted descending, each tagged 1 for out-of-distribution, ties grouped. */
function tieGroups(inScores: ArrayLike<number>, outScores: ArrayLike<number>): { pos: number; neg: number }[] {
  const all: [number, number][] = [];
  for (let i = 0; i < inScores.length; i++) all.push([inScores[i]!, 0]);
  for (let i = 0; i < outScores.length; i++) all.push([outScores[i]!, 1]);
  all.sort((a, b) => b[0] - a[0]);
  const groups: { pos: number; neg: number }[] = [];
  let last = NaN;
  for (const [v, isOut] of all) {
    if (v !== last) groups.push({ pos: 0, neg: 0 });
    const g = groups[groups.length - 1]!;
    if (isOut === 1) g.pos += 1;
    else g.neg += 1;
    last = v;
  }
  return groups;
}

/**
 * Area under the ROC curve for telling out-of-distribution inputs (the positives) from in-distribution ones by
 * a score that is higher for OOD: P(s_out > s_in) + ½·P(s_out = s_in) (the Mann–Whitney statistic).
 * 0.5 is chance, 1 a perfect separation.
 * @param inScores - scores of in-distribution inputs
 * @param outScores - scores of out-of-distribution inputs
 * @returns AUROC in [0, 1]
 * @throws {@link ConfigError} when a set is empty or a score is not finite
 * @example
 * ```ts
 * auroc([1, 2, 3], [2, 4]); // 0.75
 * ```
 */
export function auroc(inScores: ArrayLike<number>, outScores: ArrayLike<number>): number {
  checkScores(inScores, outScores);
  let negAbove = 0;
  let wins = 0;
  // walk from the highest score down: each positive beats the negatives below it (not yet counted)
  for (const g of tieGroups(inScores, outScores)) {
    wins += g.pos * (inScores.length - negAbove - g.neg) + 0.5 * g.pos * g.neg;
    negAbove += g.neg;
  }
  return wins / (inScores.length * outScores.length);
}

/**
 * Area under the precision–recall curve with out-of-distribution inputs as the positives, as average precision:
 * Σ_k (R_k − R_{k−1})·P_k over the distinct score thresholds from the highest down. Its chance level is the
 * positives' share m/(n+m).
 * @param inScores - scores of in-distribution inputs
 * @param outScores - scores of out-of-distribution inputs (higher = more OOD)
 * @returns AUPR (average precision) in [0, 1]
 * @throws {@link ConfigError} when a set is empty or a score is not finite
 * @example
 * ```ts
 * aupr([1, 2, 3], [2, 4]); // 0.75
 * ```
 */
export function aupr(inScores: ArrayLike<number>, outScores: ArrayLike<number>): number {
  checkScores(inScores, outScores);
  let tp = 0;
  let fp = 0;
  let ap = 0;
  for (const g of tieGroups(inScores, outScores)) {
    tp += g.pos;
    fp += g.neg;
    ap += (g.pos / outScores.length) * (tp / (tp + fp));
  }
  return ap;
}

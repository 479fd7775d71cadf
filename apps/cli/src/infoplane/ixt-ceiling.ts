import { atIxtCeiling } from '@vib/charts';
import type { InfoPlanePoint } from '../plots/infoplane-plot.js';

/** The points of one split whose I(X;T) sits at log2 n. */
export interface IxtCeiling {
  readonly split: string;
  /** Inputs the split's estimates were made on. */
  readonly inputs: number;
  /** log2 inputs: with X uniform over n distinct inputs, I(X;T) ≤ H(X) = log2 n. */
  readonly bits: number;
  /** Points of the split at the ceiling, and of all its points. */
  readonly atCeiling: number;
  readonly points: number;
  /** The same by estimator label (estimators with none at the ceiling included, at 0). */
  readonly byEstimator: Readonly<Record<string, number>>;
}

/**
 * Which information-plane points have I(X;T) at its ceiling log2 n. There every input falls in a bin (or kernel) of
 * its own: the estimate equals H(X) and says nothing about compression (Saxe et al. 2018 on binning).
 * @param points - the records
 * @param inputsBySplit - inputs each split's estimates were made on
 * @returns one summary per split that has points
 * @example
 * ```ts
 * ixtCeiling([{ activation: 'tanh', estimator: 'binning', split: 'all', layer: 'h1', seed: 0, epoch: 1, ixtBits: 12, ityBits: 1 }], new Map([['all', 4096]]));
 * // [{ split: 'all', inputs: 4096, bits: 12, atCeiling: 1, points: 1, byEstimator: { binning: 1 } }]
 * ```
 */
export function ixtCeiling(points: readonly InfoPlanePoint[], inputsBySplit: ReadonlyMap<string, number>): IxtCeiling[] {
  const out: IxtCeiling[] = [];
  for (const [split, inputs] of inputsBySplit) {
    const mine = points.filter((p) => p.split === split);
    if (mine.length === 0) continue;
    const bits = Math.log2(inputs);
    const byEstimator: Record<string, number> = {};
    let atCeiling = 0;
    for (const p of mine) {
      const at = atIxtCeiling(p.ixtBits, bits);
      byEstimator[p.estimator] = (byEstimator[p.estimator] ?? 0) + (at ? 1 : 0);
      if (at) atCeiling++;
    }
    out.push({ split, inputs, bits, atCeiling, points: mine.length, byEstimator });
  }
  return out;
}

/**
 * One line per split with points at the ceiling, for the command's output; none where no point reaches it.
 * @param summary - from {@link ixtCeiling}
 * @returns the lines
 */
export function ceilingLines(summary: readonly IxtCeiling[]): string[] {
  return summary
    .filter((s) => s.atCeiling > 0)
    .map((s) => {
      const by = Object.entries(s.byEstimator).filter(([, k]) => k > 0).map(([e, k]) => `${e}: ${k}`).join(', ');
      return (
        `${s.split}: I(X;T) at its ceiling log2 ${s.inputs.toLocaleString('en-US')} = ${s.bits.toFixed(2)} bits in ${s.atCeiling} of ${s.points} points (${by}); ` +
        'there every input has a bin or kernel of its own, so the estimate is H(X) and shows no compression (fewer --bins, or for kde a larger --noise, bring it below)'
      );
    });
}

import { DataError } from '../errors/data-error.js';
import { information, type Information } from '../units/units.js';

/** Inputs of {@link izyLowerBound}. */
export interface IzyLowerBoundInput {
  /** Mean cross-entropy E[−log q(y|z)] of the decoder in nats. */
  readonly crossEntropyNats: number;
  /** Label entropy H(Y) in nats (see {@link labelEntropy}). */
  readonly labelEntropyNats: number;
}

/**
 * The variational lower bound I(Z;Y) ≥ H(Y) − E[−log q(y|z)].
 *
 * Since KL(p(y|z) ‖ q(y|z)) ≥ 0, E log q(y|z) ≤ E log p(y|z), hence
 * I(Z;Y) = H(Y) − H(Y|Z) ≥ H(Y) + E log q(y|z) (seed 003; Alemi et al. 2017). The value can be
 * negative for a classifier worse than the label marginal; it is reported as is, not clipped.
 *
 * @param input - cross-entropy and label entropy in nats
 * @returns the bound in nats and bits
 * @throws {@link DataError} when an input is not finite or negative
 * @example
 * ```ts
 * // perfect classifier on 4 balanced classes: CE = 0, bound = H(Y) = 2 bits
 * izyLowerBound({ crossEntropyNats: 0, labelEntropyNats: Math.log(4) }).bits; // 2
 * ```
 */
export function izyLowerBound(input: IzyLowerBoundInput): Information {
  const { crossEntropyNats, labelEntropyNats } = input;
  for (const [field, v] of [
    ['crossEntropyNats', crossEntropyNats],
    ['labelEntropyNats', labelEntropyNats],
  ] as const) {
    if (!Number.isFinite(v) || v < 0) {
      throw new DataError(`${field} is ${v}: it must be a finite, non-negative number of nats`, {
        details: { field, value: v },
      });
    }
  }
  return information(labelEntropyNats - crossEntropyNats);
}

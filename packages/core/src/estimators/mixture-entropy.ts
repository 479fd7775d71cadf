import { ConfigError } from '../errors/config-error.js';
import { information, type Information } from '../units/units.js';
import { checkActivations, type ActivationMatrix } from './activations.js';

/** Rows of the pairwise-distance block computed at a time: 256 × n doubles (8 MiB at n = 4096). */
const CHUNK_ROWS = 256;

/**
 * Per-row log-sums for the pairwise-distance entropy bounds of an equal-weight Gaussian mixture
 * with components N(c_i, σ²I): for each row i, log Σ_j exp(−‖c_i − c_j‖²/(2σ²)) (KL distance,
 * upper bound) and log Σ_j exp(−‖c_i − c_j‖²/(8σ²)) (Bhattacharyya distance, lower bound), over
 * all j and over the j in the same group as i. Distances are computed in row chunks, so memory
 * stays O(CHUNK_ROWS · n) and n = 4096 is fine.
 */
export interface PairwiseLogSums {
  readonly klAll: Float64Array;
  readonly bdAll: Float64Array;
  readonly klGroup: Float64Array;
  readonly bdGroup: Float64Array;
}

function logSumExpScaled(dist: Float64Array, offset: number, n: number, scale: number, group: Int32Array | null, g: number): number {
  // the max of −dist·scale is 0 (the j = i term, dist 0), so no shift is needed
  let s = 0;
  for (let j = 0; j < n; j++) {
    if (group === null || group[j] === g) s += Math.exp(-dist[offset + j]! * scale);
  }
  return Math.log(s);
}

/**
 * Compute the per-row log-sums of {@link PairwiseLogSums}.
 * @param t - the component centres [n, d]
 * @param variance - σ² of each component
 * @param groups - optional group (class) index of each row; without it the group sums equal the full sums
 * @returns the four per-row arrays
 */
export function pairwiseLogSums(t: ActivationMatrix, variance: number, groups: Int32Array | null): PairwiseLogSums {
  const { n, d } = t;
  const x = Float64Array.from(t.data);
  const klAll = new Float64Array(n);
  const bdAll = new Float64Array(n);
  const klGroup = new Float64Array(n);
  const bdGroup = new Float64Array(n);
  const block = new Float64Array(Math.min(CHUNK_ROWS, n) * n);
  const kl = 1 / (2 * variance);
  const bd = 1 / (8 * variance);
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const end = Math.min(n, start + CHUNK_ROWS);
    for (let i = start; i < end; i++) {
      const off = (i - start) * n;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) {
          const diff = x[i * d + k]! - x[j * d + k]!;
          s += diff * diff;
        }
        block[off + j] = s;
      }
    }
    for (let i = start; i < end; i++) {
      const off = (i - start) * n;
      klAll[i] = logSumExpScaled(block, off, n, kl, null, 0);
      bdAll[i] = logSumExpScaled(block, off, n, bd, null, 0);
      klGroup[i] = groups ? logSumExpScaled(block, off, n, kl, groups, groups[i]!) : klAll[i]!;
      bdGroup[i] = groups ? logSumExpScaled(block, off, n, bd, groups, groups[i]!) : bdAll[i]!;
    }
  }
  return { klAll, bdAll, klGroup, bdGroup };
}

/**
 * Entropy of one component N(c, σ²I) in d dimensions: (d/2)·log(2πeσ²).
 * @param d - dimension
 * @param variance - σ²
 * @returns entropy in nats
 */
export function gaussianComponentEntropyNats(d: number, variance: number): number {
  return 0.5 * d * Math.log(2 * Math.PI * Math.E * variance);
}

/**
 * Check that a noise variance is a positive finite number.
 * @param variance - the value to check
 * @throws {@link ConfigError} otherwise
 */
export function checkVariance(variance: number): void {
  if (!(variance > 0) || !Number.isFinite(variance)) {
    throw new ConfigError(`noise variance must be a positive finite number, got ${variance}`, {
      details: { field: 'noiseVariance', value: variance },
    });
  }
}

/**
 * Pairwise-distance bounds on the entropy of an equal-weight mixture of Gaussians N(c_i, σ²I)
 * (Kolchinsky & Tracey 2017, "Estimating mixture entropy with pairwise distances").
 *
 * With Ĥ_D = H(component) − (1/n) Σ_i log (1/n) Σ_j exp(−D(p_i ‖ p_j)), the KL divergence
 * D = ‖c_i − c_j‖²/(2σ²) gives an upper bound and the Bhattacharyya distance (Chernoff α = ½)
 * D = ‖c_i − c_j‖²/(8σ²) a lower bound; both are exact when the components coincide or are far apart.
 *
 * @param centers - component means [n, d]
 * @param variance - σ² of every component
 * @returns `{ lower, upper }` entropies in nats and bits
 * @throws {@link ConfigError} when the variance is not positive
 * @throws {@link ShapeError} / {@link DataError} for inconsistent or non-finite centres
 * @example
 * ```ts
 * // two far-apart unit Gaussians in 1-D: log 2 + ½ log(2πe)
 * mixtureEntropyBounds({ data: new Float64Array([0, 100]), n: 2, d: 1 }, 1).upper.nats;
 * ```
 */
export function mixtureEntropyBounds(
  centers: ActivationMatrix,
  variance: number,
): { readonly lower: Information; readonly upper: Information } {
  checkVariance(variance);
  checkActivations(centers);
  const sums = pairwiseLogSums(centers, variance, null);
  const hc = gaussianComponentEntropyNats(centers.d, variance);
  const logN = Math.log(centers.n);
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < centers.n; i++) {
    upper -= sums.klAll[i]! - logN;
    lower -= sums.bdAll[i]! - logN;
  }
  return { lower: information(hc + lower / centers.n), upper: information(hc + upper / centers.n) };
}

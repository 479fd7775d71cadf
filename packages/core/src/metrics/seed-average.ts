/** A point of an information-plane trajectory measured with one seed (bits). */
export interface SeedPlanePoint {
  /** The seed of the run that measured it. */
  readonly seed: number;
  /** Epoch, from 1. */
  readonly epoch: number;
  /** I(X;T), bits. */
  readonly ixtBits: number;
  /** I(T;Y), bits. */
  readonly ityBits: number;
}

/** A trajectory point averaged over seeds: the means, their spread, and the group's own fields. */
export type AveragedPlanePoint<P> = Omit<P, 'seed' | 'ixtBits' | 'ityBits'> & {
  /** Mean of I(X;T) over the seeds, bits. */
  readonly ixtBits: number;
  /** Mean of I(T;Y) over the seeds, bits. */
  readonly ityBits: number;
  /** Sample standard deviation (n − 1) of I(X;T) over the seeds; 0 for one seed. */
  readonly ixtSdBits: number;
  /** Sample standard deviation (n − 1) of I(T;Y) over the seeds; 0 for one seed. */
  readonly itySdBits: number;
  /** Number of seeds averaged. */
  readonly seeds: number;
};

const sd = (v: readonly number[], mean: number) => (v.length > 1 ? Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / (v.length - 1)) : 0);

/**
 * Average information-plane trajectories over seeds: points that agree on `groupBy` (e.g. activation, layer,
 * estimator) and on the epoch are one point of the averaged trajectory, with the mean and the sample standard
 * deviation of I(X;T) and I(T;Y) across their seeds. Output is sorted by group (first appearance), then epoch.
 * @param points - per-seed points, any order
 * @param groupBy - the fields that name a trajectory besides the seed
 * @returns one averaged point per group and epoch
 * @example
 * ```ts
 * import { averageTrajectories } from '@vib/core';
 * averageTrajectories([
 *   { layer: 'l1', seed: 0, epoch: 1, ixtBits: 2, ityBits: 0.5 },
 *   { layer: 'l1', seed: 1, epoch: 1, ixtBits: 4, ityBits: 0.7 },
 * ], ['layer']); // [{ layer: 'l1', epoch: 1, ixtBits: 3, ityBits: 0.6, ixtSdBits: √2, itySdBits: ≈0.141, seeds: 2 }]
 * ```
 */
export function averageTrajectories<P extends SeedPlanePoint>(points: readonly P[], groupBy: readonly (keyof P & string)[]): AveragedPlanePoint<P>[] {
  const groups = new Map<string, { first: P; byEpoch: Map<number, P[]> }>();
  for (const p of points) {
    const key = JSON.stringify(groupBy.map((k) => p[k]));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { first: p, byEpoch: new Map() }));
    const list = g.byEpoch.get(p.epoch) ?? [];
    list.push(p);
    g.byEpoch.set(p.epoch, list);
  }
  const out: AveragedPlanePoint<P>[] = [];
  for (const { first, byEpoch } of groups.values()) {
    for (const epoch of [...byEpoch.keys()].sort((a, b) => a - b)) {
      const list = byEpoch.get(epoch) ?? [];
      const ixt = list.map((p) => p.ixtBits);
      const ity = list.map((p) => p.ityBits);
      const mx = ixt.reduce((a, v) => a + v, 0) / ixt.length;
      const my = ity.reduce((a, v) => a + v, 0) / ity.length;
      const fields = Object.fromEntries(groupBy.map((k) => [k, first[k]]));
      out.push({ ...fields, epoch, ixtBits: mx, ityBits: my, ixtSdBits: sd(ixt, mx), itySdBits: sd(ity, my), seeds: list.length } as unknown as AveragedPlanePoint<P>);
    }
  }
  return out;
}

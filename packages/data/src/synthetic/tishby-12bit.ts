import { seededPermutation, type Dataset, type DataSplit, type DatasetPlugin } from '@vib/core';
import { z } from 'zod';
import { applyLimits, gatherSplit } from '../util/split.js';

/** Number of input bits. */
export const TISHBY_BITS = 12;
/** Training examples of the fixed split (80% of the 4,096 patterns); the other 819 are the test split. */
export const TISHBY_TRAIN = 3277;
/** Seed of the fixed permutation that defines the split. */
export const TISHBY_SPLIT_SEED = 2017;
/**
 * Label threshold on f(x) = ‖Σᵢ xᵢ vᵢ‖². f takes 20 discrete values (…, 2.2111, 2.8944, …); cutting
 * between these two gives 2,036 positives of 4,096 (49.7%), the most balanced cut available.
 */
export const TISHBY_THRESHOLD = 2.5;

/**
 * The 12 unit vertices vᵢ of a regular icosahedron: 12 evenly spread points on the sphere, one per bit.
 * @returns 12 unit vectors [x, y, z]
 */
export function icosahedronVertices(): number[][] {
  const phi = (1 + Math.sqrt(5)) / 2;
  const norm = Math.hypot(1, phi);
  const v: number[][] = [];
  for (const a of [-1, 1]) {
    for (const b of [-1, 1]) v.push([0, a, b * phi], [a, b * phi, 0], [b * phi, 0, a]);
  }
  return v.map((p) => p.map((c) => c / norm));
}

/**
 * The symmetric score of a 12-bit pattern: the squared length of the sum of the sphere points whose bits are on.
 * It is invariant under the icosahedron's rotations (a spherically symmetric function of the bits).
 * @param bits - 12 values in {0, 1}
 * @param vertices - from {@link icosahedronVertices}
 * @returns f(x) ≥ 0
 */
export function tishbyScore(bits: ArrayLike<number>, vertices: readonly number[][]): number {
  let sx = 0;
  let sy = 0;
  let sz = 0;
  for (let i = 0; i < TISHBY_BITS; i++) {
    if (bits[i]) {
      const v = vertices[i]!;
      sx += v[0]!;
      sy += v[1]!;
      sz += v[2]!;
    }
  }
  return sx * sx + sy * sy + sz * sz;
}

/**
 * All 4,096 patterns of the 12-bit task and their labels, in binary-counting order.
 * @returns x [4096·12] in {0, 1} and y [4096] in {0, 1}
 */
export function tishbyPatterns(): DataSplit {
  const n = 1 << TISHBY_BITS;
  const vertices = icosahedronVertices();
  const x = new Float32Array(n * TISHBY_BITS);
  const y = new Int32Array(n);
  for (let m = 0; m < n; m++) {
    const bits = x.subarray(m * TISHBY_BITS, (m + 1) * TISHBY_BITS);
    for (let i = 0; i < TISHBY_BITS; i++) bits[i] = (m >> i) & 1;
    y[m] = tishbyScore(bits, vertices) > TISHBY_THRESHOLD ? 1 : 0;
  }
  return { x, y, n };
}

/** The 12-bit task has no settings. */
export const tishbyConfigSchema = z.strictObject({});

/**
 * Dataset plugin `tishby-12bit`: the synthetic task of Shwartz-Ziv & Tishby (2017). All 4,096 binary
 * inputs of 12 bits; as in their setup the bits sit on points of a sphere and the label thresholds a
 * spherically symmetric function of them. Here: bit i is the i-th vertex of a regular icosahedron, and
 * y = 1 when ‖Σᵢ xᵢ vᵢ‖² > {@link TISHBY_THRESHOLD} (49.7% positives). Deterministic; a fixed seeded
 * 3,277/819 train/test split.
 */
export const tishby12BitDataset: DatasetPlugin<z.infer<typeof tishbyConfigSchema>> = {
  name: 'tishby-12bit',
  description: 'Shwartz-Ziv & Tishby (2017) style 12-bit task: 4,096 patterns, symmetric-function label, 3,277/819 split',
  configSchema: tishbyConfigSchema,
  environments: ['node', 'browser'],
  async load(_config, options) {
    const all = tishbyPatterns();
    const perm = seededPermutation(all.n, TISHBY_SPLIT_SEED);
    const train = gatherSplit(all.x, all.y, TISHBY_BITS, perm.subarray(0, TISHBY_TRAIN));
    const test = gatherSplit(all.x, all.y, TISHBY_BITS, perm.subarray(TISHBY_TRAIN));
    const data: Dataset = {
      name: 'tishby-12bit',
      inputShape: [TISHBY_BITS],
      numClasses: 2,
      inputsInUnitInterval: true,
      preprocessing: '12 bits as 0/1',
      ...applyLimits(train, test, TISHBY_BITS, options),
    };
    return data;
  },
};

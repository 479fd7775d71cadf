/**
 * A small seeded pseudo-random generator (Mulberry32, Tommy Ettinger 2017; not for cryptography) whose
 * whole state is one 32-bit integer, so a run's position can be saved in a checkpoint and resumed exactly.
 * The one generator of every package: dataset splits, batch order, self-check cases.
 * @example
 * ```ts
 * const rng = new SeededRandom(42);
 * const order = rng.permutation(10); // the same for seed 42, every time
 * ```
 */
export class SeededRandom {
  /** The current state (save it to resume). */
  state: number;

  /**
   * @param seed - any integer
   */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /**
   * Next value, uniform in [0, 1).
   * @returns the value
   */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * A uniformly random permutation of 0..n−1 (Fisher–Yates).
   * @param n - length
   * @returns the permutation
   */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = p[i] ?? 0;
      p[i] = p[j] ?? 0;
      p[j] = t;
    }
    return p;
  }
}

/**
 * A seed for the random draws of one training step, mixed from the run seed and the step.
 * @param seed - run seed
 * @param step - global step
 * @returns a non-negative 31-bit integer
 */
export function stepSeed(seed: number, step: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(step + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return (h >>> 0) & 0x7fffffff;
}

/**
 * Mulberry32 as a function: uniform numbers in [0, 1), the same sequence for the same seed.
 * @param seed - any 32-bit integer
 * @returns the generator
 * @example
 * ```ts
 * const rand = mulberry32(42);
 * rand(); // same value on every run
 * ```
 */
export function mulberry32(seed: number): () => number {
  const rng = new SeededRandom(seed);
  return () => rng.next();
}

/**
 * A fixed permutation of 0..n−1 (Fisher–Yates driven by {@link SeededRandom}).
 * @param n - length
 * @param seed - PRNG seed; the same seed always gives the same permutation
 * @returns the permutation
 */
export function seededPermutation(n: number, seed: number): Int32Array {
  return new SeededRandom(seed).permutation(n);
}

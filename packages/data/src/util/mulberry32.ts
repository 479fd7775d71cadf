/**
 * A small seeded pseudo-random generator (Mulberry32, Tommy Ettinger 2017) for fixed,
 * reproducible dataset splits; not for cryptography.
 * @param seed - any 32-bit integer
 * @returns a function returning uniform numbers in [0, 1)
 * @example
 * ```ts
 * const rand = mulberry32(42);
 * rand(); // same value on every run
 * ```
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A fixed permutation of 0..n−1 (Fisher–Yates driven by {@link mulberry32}).
 * @param n - length
 * @param seed - PRNG seed; the same seed always gives the same permutation
 * @returns the permutation
 */
export function seededPermutation(n: number, seed: number): Int32Array {
  const rand = mulberry32(seed);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/**
 * A seed that TensorFlow.js honours. tfjs 4.x tests its seed for truthiness in `randomNormal`,
 * `truncatedNormal` (so He-normal initializers), `randomGamma` and `multinomial`, so a seed of 0 draws from
 * `Math.random()` and a run "seeded" with 0 is not reproducible. 0 becomes 0.5, which no integer seed
 * collides with; every other value passes through. Call it wherever a seed is handed to tfjs.
 * @param seed - an integer seed, or undefined for unseeded draws
 * @returns the seed to give tfjs
 * @example
 * ```ts
 * tf.randomNormal([2, 3], 0, 1, 'float32', tfSeed(0)); // the same numbers on every run
 * ```
 */
export function tfSeed<S extends number | undefined>(seed: S): S {
  return (seed === 0 ? 0.5 : seed) as S;
}

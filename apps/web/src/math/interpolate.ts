/**
 * A point on the straight path z = (1−α)·z₁ + α·z₂ between two codes (the seeds' linear interpolation).
 * @param z1 - start code
 * @param z2 - end code
 * @param alpha - position in [0, 1]
 * @returns the code
 * @throws RangeError when the codes differ in length
 */
export function lerpCode(z1: readonly number[], z2: readonly number[], alpha: number): number[] {
  same(z1, z2);
  return z1.map((a, i) => (1 - alpha) * a + alpha * z2[i]!);
}

/**
 * A point on the seeds' spherical path z = z₁·cos θ + z₂·sin θ with θ = α·π/2: for independent codes
 * from a standard normal prior it stays on the prior's typical shell (Su, 2018), where the straight
 * path passes through the low-norm centre.
 * @param z1 - start code (θ = 0)
 * @param z2 - end code (θ = π/2)
 * @param alpha - position in [0, 1]
 * @returns the code
 * @throws RangeError when the codes differ in length
 */
export function slerpCode(z1: readonly number[], z2: readonly number[], alpha: number): number[] {
  same(z1, z2);
  const t = (alpha * Math.PI) / 2;
  return z1.map((a, i) => a * Math.cos(t) + z2[i]! * Math.sin(t));
}

function same(z1: readonly number[], z2: readonly number[]): void {
  if (z1.length !== z2.length) throw new RangeError(`codes differ in length (${z1.length} vs ${z2.length}); interpolate codes of one model`);
}

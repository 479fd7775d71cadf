/**
 * The bits of a float32 array, word by word (only its own view of the buffer), for tests that compare results bit for
 * bit: −0 stays apart from +0 and every NaN keeps its payload.
 * @param x - the array
 * @returns its 32-bit words
 */
export function exactBits(x: Float32Array): number[] {
  return Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
}

/**
 * The same, with every NaN as one word (0x7fc00000): for comparisons with a JavaScript reference, which does not
 * reproduce the sign the CPU gives a NaN made by 0·∞. −0 still compares as itself.
 * @param x - the array
 * @returns its 32-bit words, NaNs made one
 */
export function bitsOneNaN(x: Float32Array): number[] {
  return exactBits(x).map((b, i) => (Number.isNaN(x[i]) ? 0x7fc00000 : b));
}

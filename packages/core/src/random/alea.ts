/**
 * Baagøe's Alea generator as `seedrandom.alea` (which TensorFlow.js uses) runs it, with jump-ahead, and
 * Marsaglia's polar method over its stream as `tf.randomNormal` runs it. The pieces of {@link randomNormalFast}
 * (`fast-random-normal.ts`), exported so that a backend can fill long draws in parallel with the same numbers.
 */

/** Alea's state: [carry, s0, s1, s2], the s in [0, 1) as multiples of 2^-32 (s0 the oldest). */
export type AleaState = [number, number, number, number];

const TWO_POW_M32 = 2.3283064365386963e-10; // 2^-32

/**
 * The initial state for a seed string, as `seedrandom.alea` derives it: three Mash hashes of ' ' less the
 * Mash of the seed, wrapped into [0, 1), and a carry of 1.
 * @param seed - the seed string
 * @returns the state
 */
export function aleaState(seed: string): AleaState {
  let h32 = 0xefc8249d;
  const mash = (data: string): number => {
    for (let i = 0; i < data.length; i++) {
      h32 += data.charCodeAt(i);
      let h = 0.02519603282416938 * h32;
      h32 = h >>> 0;
      h -= h32;
      h *= h32;
      h32 = h >>> 0;
      h -= h32;
      h32 += h * 0x100000000;
    }
    return (h32 >>> 0) * TWO_POW_M32;
  };
  const s = [mash(' '), mash(' '), mash(' ')];
  for (let k = 0; k < 3; k++) {
    s[k] = (s[k] as number) - mash(seed);
    if ((s[k] as number) < 0) s[k] = (s[k] as number) + 1;
  }
  return [1, s[0] as number, s[1] as number, s[2] as number];
}

/*
 * Jumping ahead. In units of 2^-32 the state is three 32-bit words x (s0 oldest) and a carry c, and a step is a
 * lag-3 multiply-with-carry: t = a·s0 + c with a = 2091639, the new word t mod 2^32 and the new carry ⌊t/2^32⌋
 * (exact in doubles: t < 2^53). Packing the state into S = s0 + s1·b + s2·b² + c·b³ (b = 2^32), a step is
 * b·S' = S + m·s0 with m = a·b³ − 1, so S' = b⁻¹·S mod m, where b⁻¹ = a·b² (b·a·b² = m + 1). j steps multiply
 * by b⁻ʲ mod m: the equivalence of multiply-with-carry and linear congruential generators (Couture & L'Ecuyer,
 * "Distribution properties of multiply-with-carry random number generators", Math. Comp. 66, 1997).
 */
const WORD = 1n << 32n;
const MODULUS = 2091639n * WORD * WORD * WORD - 1n;
const B_INVERSE = 2091639n * WORD * WORD;

/**
 * The state `steps` outputs later, without producing them (a few BigInt multiplications).
 * @param state - the state now
 * @param steps - outputs to skip, a non-negative integer
 * @returns the state after them
 */
export function aleaJump(state: AleaState, steps: number): AleaState {
  if (!Number.isSafeInteger(steps) || steps < 0) throw new RangeError(`aleaJump: steps must be a non-negative integer, got ${steps}`);
  return unpack((pack(state) * jumpMultiplier(steps)) % MODULUS);
}

/** b⁻ʲ mod m per j already asked for (a draw's lanes and spans have the same lengths from call to call). */
const multipliers = new Map<number, bigint>();

/** b⁻ʲ mod m, the multiplier that moves a packed state j outputs on (square and multiply; cached). */
function jumpMultiplier(steps: number): bigint {
  let multiplier = multipliers.get(steps);
  if (multiplier === undefined) {
    multiplier = 1n;
    let base = B_INVERSE;
    for (let k = steps; k > 0; k = Math.floor(k / 2)) {
      if (k % 2 === 1) multiplier = (multiplier * base) % MODULUS;
      base = (base * base) % MODULUS;
    }
    if (multipliers.size >= 64) multipliers.clear();
    multipliers.set(steps, multiplier);
  }
  return multiplier;
}

/** The state as one integer, S = s0 + s1·b + s2·b² + c·b³ (b = 2^32, the words in units of 2^-32). */
function pack([c, s0, s1, s2]: AleaState): bigint {
  return BigInt(s0 * 2 ** 32) + (BigInt(s1 * 2 ** 32) << 32n) + (BigInt(s2 * 2 ** 32) << 64n) + (BigInt(c) << 96n);
}

/** The state packed in S = s0 + s1·b + s2·b² + c·b³ (units of 2^-32), unpacked. */
function unpack(S: bigint): AleaState {
  const word = (i: bigint): number => Number((S >> (32n * i)) & (WORD - 1n)) * TWO_POW_M32;
  return [Number(S >> 96n), word(0n), word(1n), word(2n)];
}

/**
 * The states at `0, stride, 2·stride, …` outputs from `state`: the starts of `count` back-to-back spans of the
 * stream (lanes a filler runs side by side). One modular power for the stride (cached), then one product a lane.
 * @param state - the state now
 * @param count - lanes
 * @param stride - outputs per lane, a non-negative integer
 * @returns `count` states, the first a copy of `state`
 */
export function aleaLanes(state: AleaState, count: number, stride: number): AleaState[] {
  if (!Number.isSafeInteger(stride) || stride < 0) throw new RangeError(`aleaLanes: stride must be a non-negative integer, got ${stride}`);
  const multiplier = jumpMultiplier(stride);
  let S = pack(state);
  const out: AleaState[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) S = (S * multiplier) % MODULUS;
    out.push(unpack(S));
  }
  return out;
}

/**
 * Marsaglia's polar method until `out` is full, as `tf.randomNormal` draws: pairs (v1, v2) = 2u − 1 from two
 * outputs, rejected unless 0 < s = v1² + v2² < 1, then v·√(−2 ln s / s); an odd `out` drops the last pair's
 * second value.
 * @param out - filled in full
 * @param state - Alea's state, advanced in place
 * @param mean - added to every value
 * @param stdDev - multiplies every value
 */
export function polarFill(out: Float32Array, state: AleaState, mean: number, stdDev: number): void {
  let [c, s0, s1, s2] = state;
  const n = out.length;
  // Alea's step written out twice (no closure over the state: V8 keeps it in registers)
  for (let i = 0; i < n; i += 2) {
    let v1: number;
    let v2: number;
    let s: number;
    do {
      let t = 2091639 * s0 + c * 2.3283064365386963e-10;
      s0 = s1;
      s1 = s2;
      c = t | 0;
      s2 = t - c;
      v1 = 2 * s2 - 1;
      t = 2091639 * s0 + c * 2.3283064365386963e-10;
      s0 = s1;
      s1 = s2;
      c = t | 0;
      s2 = t - c;
      v2 = 2 * s2 - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s === 0);
    const mul = Math.sqrt((-2.0 * Math.log(s)) / s);
    out[i] = mean + stdDev * v1 * mul;
    if (i + 1 < n) out[i + 1] = mean + stdDev * v2 * mul;
  }
  state[0] = c;
  state[1] = s0;
  state[2] = s1;
  state[3] = s2;
}

/**
 * The polar method over exactly `uniforms` outputs of the stream (an even count: `uniforms / 2` candidate
 * pairs), writing both values of every accepted pair to `out` from index 0. Self-contained (no imports or
 * outer names), so that a worker can run its source text.
 * @param out - room for `uniforms` values
 * @param state - Alea's state, advanced in place by `uniforms` outputs
 * @param uniforms - outputs to consume, even
 * @param mean - added to every value
 * @param stdDev - multiplies every value
 * @returns the accepted pairs (2 values each in `out`)
 */
export function polarSpan(out: Float32Array, state: number[], uniforms: number, mean: number, stdDev: number): number {
  let c = state[0] as number;
  let s0 = state[1] as number;
  let s1 = state[2] as number;
  let s2 = state[3] as number;
  let w = 0;
  for (let k = 0; k < uniforms; k += 2) {
    let t = 2091639 * s0 + c * 2.3283064365386963e-10;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    s2 = t - c;
    const v1 = 2 * s2 - 1;
    t = 2091639 * s0 + c * 2.3283064365386963e-10;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    s2 = t - c;
    const v2 = 2 * s2 - 1;
    const s = v1 * v1 + v2 * v2;
    if (s >= 1 || s === 0) continue;
    const mul = Math.sqrt((-2.0 * Math.log(s)) / s);
    out[w] = mean + stdDev * v1 * mul;
    out[w + 1] = mean + stdDev * v2 * mul;
    w += 2;
  }
  state[0] = c;
  state[1] = s0;
  state[2] = s1;
  state[3] = s2;
  return w / 2;
}

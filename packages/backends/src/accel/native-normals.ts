import { aleaLanes, aleaState, LONG_DRAW, polarFill, type AleaState, type NormalFill } from '@vib/core';
import { firstUseCheck } from './first-use.js';
import type { NativeBlas } from './native-blas-module.js';

/** The addon's lane-interleaved polar method (`@vib/native-blas`'s `polar`). */
type Polar = NonNullable<NativeBlas['polar']>;

/** Stream outputs (uniforms) a thread takes at least: a round of fewer runs on one thread (the addon's kPolarUniformsPerThread). */
const UNIFORMS_PER_THREAD = 1 << 14;

/**
 * Lanes a round runs: 8 a thread (the addon runs 8 in AVX-512 registers, or two groups of 4 interleaved), on as
 * many of the addon's threads (at most 8) as the round has {@link UNIFORMS_PER_THREAD} for. A training step's draw
 * of 100 × 256 numbers (about 34,000 uniforms) runs on two threads: 213 µs against 345 on one, on a 2-core AMD EPYC
 * (2^16 a thread before 2026-12-05, which left that draw on one).
 */
const lanesFor = (uniforms: number, threads: number): number => 8 * Math.max(1, Math.min(threads, 8, Math.floor(uniforms / UNIFORMS_PER_THREAD)));

/** Stream outputs a round consumes at most: a longer draw takes several rounds, and the scratch stays at 8 MiB. */
const ROUND_UNIFORMS = 1 << 21;

/** Odd sizes for the first-use check: a short draw (one thread) and a long one (two threads where there are). */
const CHECK_SIZES = [LONG_DRAW + 1, 70_001];

/**
 * Fill `out` with the polar method's numbers from `state` through the addon: rounds of lanes (back-to-back spans
 * of the stream, from `aleaLanes`), each lane's accepted pairs joined in order, until `out` is full. A round
 * draws candidates for the pairs still needed with six standard deviations of the acceptance rate (π/4) to spare
 * (at most {@link ROUND_UNIFORMS}), so one round almost always does for a draw under 1.6M numbers; pairs beyond the
 * draw's end are dropped, as one serial pass would stop there.
 */
function fillWith(polar: Polar, threads: number, scratch: { buf: Float32Array }, out: Float32Array, state: AleaState, mean: number, stdDev: number): void {
  const n = out.length;
  let st = state;
  let filled = 0;
  while (filled < n) {
    const pairs = Math.ceil((n - filled) / 2);
    const want = Math.min(pairs / (Math.PI / 4) + 6 * Math.sqrt(pairs) + 16, ROUND_UNIFORMS / 2);
    const count = lanesFor(2 * want, threads);
    const uniforms = 2 * Math.ceil(want / count);
    if (scratch.buf.length < count * uniforms) scratch.buf = new Float32Array(count * uniforms);
    const lanes = new Float64Array(5 * count);
    aleaLanes(st, count, uniforms).forEach((s, i) => lanes.set(s, 5 * i));
    polar(scratch.buf, 0, lanes, count, uniforms, mean, stdDev);
    for (let i = 0; i < count && filled < n; i++) {
      const take = Math.min(2 * (lanes[5 * i + 4] as number), n - filled);
      out.set(scratch.buf.subarray(i * uniforms, i * uniforms + take), filled);
      filled += take;
    }
    const last = 5 * (count - 1);
    st = [lanes[last] as number, lanes[last + 1] as number, lanes[last + 2] as number, lanes[last + 3] as number];
  }
}

/**
 * The native tier's normal filler (for `@vib/core`'s `setNormalFill`): draws from `LONG_DRAW` numbers go to the
 * addon's polar method, 8 lanes of the stream side by side per thread (in AVX-512 registers where the CPU has
 * them), over the addon's threads for long draws,
 * with exactly the numbers of `polarFill` (so of `tf.randomNormal`): the addon computes V8's `Math.log`
 * algorithm and rounds every step as JavaScript does. At first use it draws two odd-sized cases both ways; on any
 * difference it warns once and declines every draw (one thread in JavaScript, as without it).
 * @param blas - the loaded addon
 * @param warn - where the one warning goes
 * @returns the filler, or null when the addon has no `polar` (an older build)
 */
export function nativeNormalFill(blas: NativeBlas, warn: (message: string) => void): { readonly fill: NormalFill; readonly stats: { draws: number } } | null {
  const polar = blas.polar?.bind(blas);
  if (!polar) return null;
  const scratch = { buf: new Float32Array(0) };
  const stats = { draws: 0 };
  const checked = firstUseCheck((): string | null => {
    for (const [k, n] of CHECK_SIZES.entries()) {
      const [mine, want] = [new Float32Array(n), new Float32Array(n)];
      fillWith(polar, blas.getNumThreads(), scratch, mine, aleaState(`vib-check-${k}`), 0.25, 1.5);
      polarFill(want, aleaState(`vib-check-${k}`), 0.25, 1.5);
      const i = mine.findIndex((x, j) => !Object.is(x, want[j]));
      if (i >= 0) return `draw of ${n}, value ${i}: ${mine[i]}, JavaScript ${want[i]}`;
    }
    return null;
  }, (problem) => warn(`@vib/backends: the native normal draws disagree with tf.randomNormal's (${problem}); drawing in JavaScript.`));
  const fill: NormalFill = (out, state, mean, stdDev) => {
    if (!checked() || out.length < LONG_DRAW) return false;
    fillWith(polar, blas.getNumThreads(), scratch, out, state, mean, stdDev);
    stats.draws++;
    return true;
  };
  return { fill, stats };
}

import * as tf from '@tensorflow/tfjs';
import { aleaState, LONG_DRAW, polarFill, randomNormalFast, setNormalFill } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { loadNativeBlas } from './load-native-blas.js';
import type { NativeBlas } from './native-blas-module.js';
import { nativeNormalFill } from './native-normals.js';

let blas: NativeBlas | null = null;
beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
  const loaded = await loadNativeBlas();
  blas = loaded.ok && loaded.blas.polar ? loaded.blas : null;
});
afterAll(() => {
  uninstallAcceleration();
  setNormalFill(null);
});

/** polarFill on one thread in JavaScript: @vib/core's tests tie it to tf.randomNormal. */
function reference(n: number, seed: number, mean: number, stdDev: number): Float32Array {
  const out = new Float32Array(n);
  polarFill(out, aleaState(String(seed)), mean, stdDev);
  return out;
}
const firstDifference = (a: Float32Array, b: Float32Array): number => (a.length !== b.length ? -2 : a.findIndex((x, i) => !Object.is(x, b[i])));

describe('native normal draws (native tier)', () => {
  it('are bitwise tf.randomNormal\'s on odd and long sizes, one thread and two, and count the draws they take', async () => {
    if (!blas) return;
    const report = await installAcceleration({ tier: 'native', warn: (m) => expect.fail(m) });
    const before = report.normalDraws?.draws ?? -1;
    expect(before).toBeGreaterThanOrEqual(0);
    // LONG_DRAW − 1 stays in JavaScript; LONG_DRAW is 8 lanes on one thread; 25,600 is a training step's draw (16
    // lanes over two threads where there are two); 300,001 is odd and long; 3.5M takes three rounds of at most 2^21
    // stream outputs
    for (const [n, seed, mean, sd] of [[LONG_DRAW - 1, 3, 0, 1], [LONG_DRAW, 4, 0, 1], [25_600, 5, -1, 0.5], [300_001, 6, 2, 3], [3_500_000, 7, 0, 1]] as const) {
      const got = tf.tidy(() => randomNormalFast([n], seed, mean, sd).dataSync() as Float32Array);
      expect(firstDifference(got, reference(n, seed, mean, sd)), `n = ${n}`).toBe(-1);
    }
    expect(report.normalDraws?.draws).toBe(before + 4);
    // the short ones against tfjs itself
    const want = tf.tidy(() => tf.randomNormal([LONG_DRAW + 3], 0.5, 2, 'float32', 11).dataSync() as Float32Array);
    expect(firstDifference(tf.tidy(() => randomNormalFast([LONG_DRAW + 3], 11, 0.5, 2).dataSync() as Float32Array), want)).toBe(-1);
  }, 60_000);

  it('a wrong addon is caught at first use, warned about once, and every draw is left to JavaScript', () => {
    if (!blas) return;
    const real = blas;
    const polar: NonNullable<NativeBlas['polar']> = (out, outOff, lanes, count, uniforms, mean, stdDev) => {
      real.polar?.(out, outOff, lanes, count, uniforms, mean, stdDev);
      out[outOff + 5] = (out[outOff + 5] ?? 0) + 1e-3; // one value of lane 0 off
    };
    const warnings: string[] = [];
    const filler = nativeNormalFill({ ...real, polar, getNumThreads: () => real.getNumThreads() }, (m) => warnings.push(m));
    expect(filler).not.toBeNull();
    const out = new Float32Array(LONG_DRAW * 2);
    expect(filler?.fill(out, aleaState('1'), 0, 1)).toBe(false);
    expect(filler?.fill(out, aleaState('1'), 0, 1)).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/native normal draws disagree with tf.randomNormal's \(draw of 4097, value 5:/);
    expect(filler?.stats.draws).toBe(0);
  });

  it('the addon refuses bad lane counts, odd spans, short state arrays and ranges outside the output, naming them', () => {
    if (!blas?.polar) return;
    const polar = blas.polar.bind(blas);
    const out = new Float32Array(64);
    expect(() => polar(out, 0, new Float64Array(15), 3, 8, 0, 1)).toThrow(/positive multiple of 4 .* got 3 and 8/);
    expect(() => polar(out, 0, new Float64Array(20), 4, 7, 0, 1)).toThrow(/even number of uniforms, got 4 and 7/);
    expect(() => polar(out, 0, new Float64Array(19), 4, 8, 0, 1)).toThrow(/lanes array holds 19 numbers, 20 needed/);
    expect(() => polar(out, 40, new Float64Array(20), 4, 8, 0, 1)).toThrow(/out range \[40, 72\) is outside the array of length 64/);
  });
});

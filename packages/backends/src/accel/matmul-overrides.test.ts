import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { tiersUnderTest } from '../testing/tiers-under-test.js';

// Odd shapes: 1×1, non-square, batch of 1, batched, one-sided batch broadcast, every transpose combination.
const cases: { a: number[]; b: number[]; tA: boolean; tB: boolean }[] = [];
const geometries: [number[], number, number, number][] = [
  [[], 1, 1, 1],
  [[], 1, 7, 3],
  [[], 5, 1, 9],
  [[], 13, 37, 6],
  [[1], 4, 5, 3],
  [[3], 2, 17, 5],
];
for (const [outer, m, k, n] of geometries) {
  for (const tA of [false, true]) {
    for (const tB of [false, true]) cases.push({ a: [...outer, ...(tA ? [k, m] : [m, k])], b: [...outer, ...(tB ? [n, k] : [k, n])], tA, tB });
  }
}
cases.push({ a: [3, 4, 6], b: [1, 6, 2], tA: false, tB: false }, { a: [1, 6, 4], b: [3, 2, 6], tA: true, tB: true });

// float32 accumulation over k ≤ 37 terms of |x| < 1 (Higham: error ≤ k·u·Σ|a||b| ≈ 37·6e-8·37 ≈ 8e-5 worst case).
const TOL = 1e-4;

function run(kind: 'plain' | 'fused', c: (typeof cases)[number], seed: number, backend = 'wasm'): Float32Array {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const a = tf.randomUniform(c.a, -1, 1, 'float32', seed);
    const b = tf.randomUniform(c.b, -1, 1, 'float32', seed + 1);
    if (kind === 'plain') return tf.matMul(a, b, c.tA, c.tB).dataSync() as Float32Array;
    const n = c.tB ? (c.b.at(-2) as number) : (c.b.at(-1) as number);
    const bias = tf.randomUniform([n], -1, 1, 'float32', seed + 2);
    const rank3 = (x: tf.Tensor): tf.Tensor3D => (x.rank === 2 ? x.expandDims(0) : x) as tf.Tensor3D;
    return tf.fused.matMul({ a: rank3(a), b: rank3(b), transposeA: c.tA, transposeB: c.tB, bias, activation: 'relu' }).dataSync() as Float32Array;
  });
}

function maxDiff(g: Float32Array, w: Float32Array): number {
  let max = 0;
  for (let j = 0; j < w.length; j++) max = Math.max(max, Math.abs((g[j] as number) - (w[j] as number)));
  return max;
}

const tiers = tiersUnderTest({ beforeAll, afterAll });

// Reference: the stock cpu kernels (tfjs's reference implementation). tfjs-backend-wasm 4.22's own _FusedMatMul
// misplaces the bias when transposeB is set or the batch is > 1, so it is not a usable reference for fused calls.
describe.each(['pure', 'native'] as const)('%s tier matmul overrides vs the stock kernels', (tier) => {
  it.each(['plain', 'fused'] as const)('%s matmul agrees on odd shapes within 1e-4', async (kind) => {
    if (!tiers.includes(tier)) return; // native addon not built here: covered by the pure tier
    const fused = kind === 'fused';
    const selected = cases.filter((c) => !fused || c.a.length === c.b.length); // fused takes rank-3 with equal batch
    uninstallAcceleration();
    const want = selected.map((c, i) => run(kind, c, 10 * i, 'cpu'));
    if (!fused) {
      // plain matmul: the stock wasm kernel agrees with cpu, so the comparison is with both stock kernels
      selected.forEach((c, i) => expect(maxDiff(run(kind, c, 10 * i), want[i] as Float32Array), JSON.stringify(c)).toBeLessThan(TOL));
    }
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    expect(report.tier).toBe(tier);
    const got = selected.map((c, i) => run(kind, c, 10 * i));
    selected.forEach((c, i) => {
      const [g, w] = [got[i] as Float32Array, want[i] as Float32Array];
      expect(g.length, JSON.stringify(c)).toBe(w.length);
      expect(maxDiff(g, w), JSON.stringify(c)).toBeLessThan(TOL);
    });
    // every override passed its own first-use self-check
    expect(report.overrides.every((o) => o.active)).toBe(true);
    // and the top override of this tier really computed the results (no silent delegation)
    const top = report.overrides.filter((o) => o.tier === tier && o.kernelName === (fused ? '_FusedMatMul' : 'BatchMatMul'));
    expect(top.at(-1)?.handled ?? 0).toBeGreaterThan(0);
  });
});

describe('pure tier: Aᵀ·B with A packed from its transpose', () => {
  it('is bit for bit the product of A transposed first, for a dense A (packed from Aᵀ) and one with many zeros (transposed, for the sparse GEMM)', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    // [k, m] as stored: the weight gradient of a 784-input layer, a narrow convolution's filter gradient, odd sizes
    const shapes: [number, number, number][] = [[100, 784, 64], [3001, 25, 32], [37, 13, 9]];
    for (const [k, m, n] of shapes) {
      for (const zeros of [false, true]) {
        const [viaT, viaA] = tf.tidy(() => {
          const raw = tf.randomUniform([k, m], -1, 1, 'float32', k + m);
          const a = zeros ? tf.relu(raw.sub(0.6)) : raw; // 80 % zeros: the sparse GEMM's side of the choice
          const b = tf.randomUniform([k, n], -1, 1, 'float32', n);
          return [tf.matMul(a, b, true, false).dataSync(), tf.matMul(tf.transpose(a), b).dataSync()];
        });
        expect(new Uint32Array((viaT as Float32Array).buffer), `${k}×${m}×${n}${zeros ? ', many zeros' : ''}`).toEqual(new Uint32Array((viaA as Float32Array).buffer));
      }
    }
    uninstallAcceleration();
  });
});

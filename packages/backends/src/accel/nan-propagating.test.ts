import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAcceleration } from './install-acceleration.js';
import { tiersUnderTest } from '../testing/tiers-under-test.js';

const tiers = tiersUnderTest({ beforeAll, afterAll });
const SPECIAL = [Number.NaN, Infinity, -Infinity, -0, 0, 0.5, -2, 3];

/** The same computation on a backend, read back as plain numbers (NaN kept). */
function on(backend: string, f: () => tf.Tensor): number[] {
  tf.setBackend(backend);
  return tf.tidy(() => Array.from(f().dataSync()));
}

describe.each(['pure', 'native'] as const)('%s tier NaN through clips, maxima and minima', (tier) => {
  it('stays NaN as on tfjs\'s cpu backend, and everything else is the same numbers', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const handled = () => ['ClipByValue', 'Maximum', 'Minimum'].map((k) => report.overrides.find((h) => h.kernelName === k)?.handled ?? -1);
    const before = handled();
    const a = () => tf.tensor2d(SPECIAL, [2, 4]);
    const b = () => tf.tensor2d([0, Number.NaN, 1, 0, -0, Number.NaN, -3, 3], [2, 4]);
    const calls: [string, () => tf.Tensor][] = [
      ['clip', () => tf.clipByValue(a(), -1, 1)],
      ['maximum', () => tf.maximum(a(), b())],
      ['minimum', () => tf.minimum(a(), b())],
      // a one-element operand on either side
      ['maximum by a scalar', () => tf.maximum(a(), tf.scalar(Number.NaN))],
      ['minimum of a scalar', () => tf.minimum(tf.scalar(1), a())],
    ];
    for (const [name, f] of calls) expect(on('wasm', f), name).toEqual(on('cpu', f));
    expect(on('wasm', () => tf.clipByValue(a(), -1, 1))[0]).toBeNaN();
    expect(on('wasm', () => tf.minimum(tf.scalar(1), tf.scalar(Number.NaN)))[0]).toBeNaN();
    const after = handled();
    expect(after.map((h, i) => h - (before[i] ?? 0))).toEqual([2, 2, 3]);
    // other broadcasts stay with the stock kernel: the same numbers where nothing is NaN
    const rows = () => tf.maximum(tf.tensor2d([1, -2, 3, 0.5, 7, -1], [2, 3]), tf.tensor1d([0, 0, 5]));
    expect(on('wasm', rows)).toEqual(on('cpu', rows));
    expect(handled()[1]).toBe(after[1]);
  });
});

/** Numbers as a ReLU's result is compared across backends: NaN by name, −0 as 0 (tfjs-wasm's Relu gives 0, cpu −0). */
const reluNumbers = (xs: number[]): (number | string)[] => xs.map((v) => (Number.isNaN(v) ? 'NaN' : v === 0 ? 0 : v));

describe.each(['pure', 'native'] as const)('%s tier NaN through a fused ReLU layer', (tier) => {
  it('a NaN that reaches a dense ReLU layer stays NaN, as on tfjs\'s cpu backend (the native epilogue had made it 0)', async () => {
    if (!tiers.includes(tier)) return;
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    // the tier's own `_FusedMatMul` (the native tier lists the pure tier's beneath its own)
    const fusedCalls = () => report.overrides.find((h) => h.kernelName === '_FusedMatMul' && h.tier === tier)?.handled ?? 0;
    const before = fusedCalls();
    // a row with a NaN input (every output of that row NaN), a NaN weight's column, and a row of plain numbers whose
    // outputs are cut at 0; 12 × 16 × 24 so that the product is the tier's own, not a small-shape fallback
    const x = () => tf.tensor2d(Array.from({ length: 12 * 16 }, (_, i) => (i === 5 ? Number.NaN : ((i * 7) % 11) - 5)), [12, 16]);
    const w = () => tf.tensor2d(Array.from({ length: 16 * 24 }, (_, i) => (i === 16 * 24 - 3 ? Number.NaN : ((i * 5) % 13) / 4 - 1.5)), [16, 24]);
    const bias = () => tf.tensor1d(Array.from({ length: 24 }, (_, j) => (j % 3) - 1));
    const calls: [string, () => tf.Tensor][] = [
      ['with a bias', () => tf.fused.matMul({ a: x(), b: w(), bias: bias(), activation: 'relu' })],
      ['without', () => tf.fused.matMul({ a: x(), b: w(), activation: 'relu' })],
    ];
    for (const [name, f] of calls) {
      const [got, want] = [on('wasm', f), on('cpu', f)];
      expect(got.filter(Number.isNaN).length, name).toBe(24 + 11);
      expect(reluNumbers(got), name).toEqual(reluNumbers(want));
    }
    expect(fusedCalls() - before).toBe(2);
  });
});

import * as tf from '@tensorflow/tfjs';
import { classificationScoreSums, FUSED_KERNELS } from '@vib/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAcceleration } from '../install-acceleration.js';
import { uniformGenerator } from '../self-check.js';
import { installFusedKernel } from './install-fused.js';
import { classificationScoresKernel } from './score-kernels.js';
import { bitsOneNaN } from '../../testing/float-bits.js';
import { tiersUnderTest } from '../../testing/tiers-under-test.js';

const NAME = FUSED_KERNELS.classificationScores;
const SPECIAL = [Number.NaN, Infinity, -Infinity, -0];

/** Log-probability-like rows (the same for every call of a shape) with ties at the largest entry and labels past the classes. */
function batch(b: number, c: number): { logLik: Float32Array; labels: number[] } {
  const random = uniformGenerator(23 + b * c);
  const logLik = Float32Array.from({ length: b * c }, () => -4 + 4 * random());
  const labels = Array.from({ length: b }, () => Math.floor(((random() + 1) / 2) * c));
  for (let i = 0; i < b; i++) {
    if (i % 5 === 1 && c > 2) logLik[i * c + 2] = logLik[i * c] = 1; // a tie: the first of the two wins
    if (i % 5 === 2) labels[i] = [c, -1, c + 7][i % 3]!; // no such class: picks nothing, never right
  }
  return { logLik, labels };
}

/** The op on the wasm backend, with the fused kernel or (unregistered for the call) the stock kernels. */
function scores(logLik: Float32Array, labels: number[], shape: [number, number], dtype: 'int32' | 'float32', fused: boolean): number[] {
  tf.setBackend('wasm');
  const kernel = tf.getKernel(NAME, 'wasm');
  if (!fused && kernel) tf.unregisterKernel(NAME, 'wasm');
  try {
    return tf.tidy(() => bitsOneNaN(classificationScoreSums(tf.tensor2d(logLik, shape), tf.tensor1d(labels, dtype)).dataSync() as Float32Array));
  } finally {
    if (!fused && kernel) tf.registerKernel(kernel);
  }
}

const tiers = tiersUnderTest({ beforeAll, afterAll });

describe.each(['pure', 'native'] as const)('%s tier classification scores kernel', (tier) => {
  it('gives bit for bit the stock kernels\' sums on odd shapes, ties, labels past the classes and special values', async () => {
    if (!tiers.includes(tier)) return; // native addon not built here: covered by the pure tier
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const handle = report.overrides.find((h) => h.kernelName === NAME);
    expect(handle?.tier).toBe(tier);
    for (const [b, c] of [[1, 2], [3, 7], [37, 10], [100, 10], [2, 1031], [0, 10]] as [number, number][]) {
      const { logLik, labels } = batch(b, c);
      for (const dtype of ['int32', 'float32'] as const) {
        const before = tf.memory().numTensors;
        const got = scores(logLik, labels, [b, c], dtype, true);
        expect(tf.memory().numTensors, 'nothing left behind').toBe(before);
        expect(got, `${b}×${c} ${dtype} labels`).toEqual(scores(logLik, labels, [b, c], dtype, false));
        // an empty batch: [−0, 0], as on the cpu backend
        if (b === 0) expect(got).toEqual([0x80000000, 0]);
      }
    }
    // float32 labels that are not whole numbers: cast as tf.cast casts them to int32 (toward 0)
    const { logLik } = batch(6, 7);
    const fractional = [2.7, -0.5, 1.99, 6.5, 0.2, 3.999];
    expect(scores(logLik, fractional, [6, 7], 'float32', true)).toEqual(scores(logLik, fractional, [6, 7], 'float32', false));
    // one special value a batch, at row 3's label or beside it: the stock product of ±∞ or NaN with a one-hot 0 is NaN
    for (const value of [Number.NaN, Infinity, -Infinity, -0, 1e-45]) {
      for (const where of ['label', 'beside'] as const) {
        const { logLik, labels } = batch(6, 7);
        logLik[3 * 7 + (labels[3]! + (where === 'label' ? 0 : 1)) % 7] = value;
        expect(scores(logLik, labels, [6, 7], 'int32', true), `${value} ${where} the label`).toEqual(scores(logLik, labels, [6, 7], 'int32', false));
      }
    }
    // one class: the stock ops refuse it (tf.oneHot needs a depth of at least 2), and the op does not hide that
    expect(() => scores(Float32Array.of(-1), [0], [1, 1], 'int32', true)).toThrow(/depth must be >=2/);
    expect(handle?.handled).toBeGreaterThan(0);
    expect(handle?.active).toBe(true);
  });
});

describe('classification scores kernel', () => {
  it('counts the first of equal maxima, as tf.argMax does, and adds nothing for a label past the classes', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    // rows: [ln .25, ln .75] label 1 (right); a tie, label 1 (the tie goes to class 0: wrong); label 2 (no such class)
    const logLik = Float32Array.from([Math.log(0.25), Math.log(0.75), Math.log(0.5), Math.log(0.5), Math.log(0.9), Math.log(0.1)]);
    const [nll, correct] = scores(logLik, [1, 1, 2], [3, 2], 'int32', true).map((w) => new Float32Array(new Uint32Array([w]).buffer)[0]!);
    expect(nll).toBeCloseTo(-(Math.log(0.75) + Math.log(0.5)), 6);
    expect(correct).toBe(1);
  });

  it('a kernel that counts the last of equal maxima is caught at first use and every call is computed from stock kernels', async () => {
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'stock' });
    const warnings: string[] = [];
    // the same pass, but a later entry equal to the largest so far takes over (>= where argMax has >)
    const lastOfTies: typeof classificationScoresKernel = {
      ...classificationScoresKernel,
      fast(ctx, inputs) {
        const like = inputs['logLik']!;
        const [b, c] = [like.shape[0]!, like.shape[1]!];
        const out = ctx.be.makeOutput([2], 'float32');
        const [x, y] = [ctx.offset('logLik'), ctx.offset('labels')];
        const heap = ctx.be.wasm.HEAPF32;
        let [total, correct] = [0, 0];
        for (let i = 0; i < b; i++) {
          const label = heap[y + i]! | 0;
          let [best, at] = [heap[x + i * c]!, 0];
          for (let j = 0; j < c; j++) {
            const v = heap[x + i * c + j]!;
            if (j === label) total = Math.fround(total + v);
            if (v >= best) (best = v), (at = j);
          }
          if (at === label) correct++;
        }
        const o = ctx.be.dataIdMap.get(out.dataId)!.memoryOffset / 4;
        heap[o] = -total;
        heap[o + 1] = correct;
        return out;
      },
    };
    const handle = installFusedKernel(lastOfTies, 'pure', () => null, (m) => warnings.push(m));
    try {
      const logLik = Float32Array.from([0, 0, -1, -2]);
      const got = scores(logLik, [1, 0], [2, 2], 'int32', true).map((w) => new Float32Array(new Uint32Array([w]).buffer)[0]!);
      // row 1's tie goes to class 0 (label 1: wrong; the broken kernel would count it), row 2's largest is at 0 (right)
      expect(got).toEqual([1, 1]);
    } finally {
      handle.uninstall();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/fused VibClassificationScores kernel disagrees with the unfused cpu composition/);
    expect(handle.active).toBe(false);
    expect(handle.handled).toBe(0);
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../plugins/wasm-backend.js';
import { installAcceleration, uninstallAcceleration } from './install-acceleration.js';
import { loadNativeBlas } from './load-native-blas.js';
import { uniformGenerator } from './self-check.js';

const random = uniformGenerator(31);
const SPECIAL = [Number.NaN, Infinity, -Infinity, 0, -0, 1e-40, 3.4e38, 3.4e38, -1];
// [shape, axis, keepDims]: bias gradients ([batch, units] over the batch; a batched [1, batch, units] over both
// leading axes), odd sizes for the vector tails, a negative axis; then sums over trailing axes (the KL's sum over
// the code: the native tier's row sums; fewer rows than the addon takes at once, and a tail of rows past them); and
// reductions both tiers leave to the stock kernel (every axis, a kept axis before a reduced one, leading axes out
// of order: tfjs-wasm then adds in another order, no axis: every axis)
const LEADING = 7;
const TRAILING = 5;
const CASES: [number[], number | number[], boolean][] = [
  [[1, 1], 0, false], [[3, 7], 0, false], [[37, 1031], 0, true], [[100, 1024], 0, false], [[1, 100, 256], [0, 1], false],
  [[2, 3, 5], [0, 1], true], [[4, 5], -2, false],
  [[9, 11], 1, false], [[3, 9], 1, false], [[37, 1031], -1, true], [[100, 256], 1, false], [[2, 3, 5], [1, 2], false],
  [[3, 4], [0, 1], false], [[3, 4, 5], [0, 2], false], [[2, 3, 5], [1, 0], false], [[4, 6], null as unknown as number, false],
];
let native = false;
beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
  const loaded = await loadNativeBlas();
  native = loaded.ok && loaded.blas.colSum !== undefined;
});
afterAll(() => uninstallAcceleration());

/** Each case's input (special values in a leading and a trailing case). */
const INPUTS = CASES.map(([shape], k) =>
  Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => ((k === 1 || k === LEADING + 1) && i < SPECIAL.length ? SPECIAL[i]! : 50 * random())),
);
const REDUCE = { Sum: tf.sum, Mean: tf.mean } as const;
/** Each case's sums (or means) by the active kernels. */
const run = (kernel: keyof typeof REDUCE): Float32Array[] =>
  CASES.map(([shape, axis, keepDims], k) => tf.tidy(() => REDUCE[kernel](tf.tensor(INPUTS[k]!, shape), axis, keepDims).dataSync() as Float32Array));

describe.each([
  ['pure', 'Sum'], ['native', 'Sum'], ['pure', 'Mean'], ['native', 'Mean'],
] as const)('%s tier %s over leading (native: and trailing) axes', (tier, kernel) => {
  it(`is bitwise tfjs-wasm's own ${kernel}, shapes included, and takes only the reductions it has sums for`, async () => {
    if (tier === 'native' && !native) return;
    tf.setBackend('wasm');
    await installAcceleration({ tier: 'stock' });
    const stock = run(kernel);
    const shapes = CASES.map(([shape, axis, keepDims]) => tf.tidy(() => REDUCE[kernel](tf.zeros(shape), axis, keepDims).shape));
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const override = report.overrides.find((h) => h.kernelName === kernel && h.tier === tier);
    const before = override?.handled ?? -1;
    const fast = run(kernel);
    fast.forEach((got, k) => {
      const want = stock[k]!;
      expect(got.length, `case ${k}`).toBe(want.length);
      const i = got.findIndex((x, j) => !Object.is(x, want[j]));
      expect(i, `case ${k}: ${got[i]} against ${want[i]}`).toBe(-1);
    });
    CASES.forEach(([shape, axis, keepDims], k) => expect(tf.tidy(() => REDUCE[kernel](tf.zeros(shape), axis, keepDims).shape), `case ${k}`).toEqual(shapes[k]));
    // the leading cases in both tiers, the trailing ones in the native tier (twice: the values, then the shapes)
    expect((override?.handled ?? 0) - before).toBe(2 * (LEADING + (tier === 'native' ? TRAILING : 0)));
    expect(override?.active).toBe(true);
  });
});

describe.each(['pure', 'native'] as const)('%s tier Mean over no elements', (tier) => {
  it('is 0, as tfjs\'s cpu backend gives it, even where the memory it gets held other values', async () => {
    if (tier === 'native' && !native) return;
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const mean = report.overrides.find((h) => h.kernelName === 'Mean' && h.tier === tier);
    const before = mean?.handled ?? -1;
    // three floats freed just before: the output's allocation may take their memory (the stock kernel writes nothing)
    tf.tensor1d([7, 8, 9]).dispose();
    const rows = tf.zeros([0, 3]);
    const got = tf.tidy(() => [tf.mean(rows, 0), tf.sum(rows, 0)].map((t) => Array.from(t.dataSync())));
    expect(got).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect((mean?.handled ?? 0) - before).toBe(1);
    await tf.setBackend('cpu');
    expect(tf.tidy(() => Array.from(tf.mean(tf.zeros([0, 3]), 0).dataSync()))).toEqual([0, 0, 0]);
    rows.dispose();
    tf.setBackend('wasm');
  });
});

describe.each(['pure', 'native'] as const)('%s tier Sum and Mean of no elements over any axes', (tier) => {
  it('are zeros of the reduction\'s shape, as on tfjs\'s cpu backend (the stock wasm kernels leave their output unwritten)', async () => {
    if (tier === 'native' && !native) return;
    tf.setBackend('wasm');
    await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    // every axis, every axis kept, a middle axis, the trailing axis (no row sums in the pure tier), axes out of order
    const calls: [number[], number[] | undefined, boolean][] = [[[0], undefined, false], [[0, 3], undefined, true], [[2, 0, 3], [1], false], [[3, 0], [1], false], [[0, 4, 2], [2, 0], true]];
    const run = (kernel: 'sum' | 'mean') => calls.map(([shape, axis, keepDims]) => {
      // floats freed just before: the output's allocation may take their memory
      tf.fill([16], 123.5).dispose();
      return tf.tidy(() => {
        const r = tf[kernel](tf.zeros(shape), axis, keepDims);
        return { shape: r.shape, values: Array.from(r.dataSync()) };
      });
    });
    const [sums, means] = [run('sum'), run('mean')];
    expect(sums.map((r) => r.shape)).toEqual([[], [1, 1], [2, 3], [3], [1, 4, 1]]);
    for (const r of [...sums, ...means]) expect(r.values.every((v) => v === 0), JSON.stringify(r)).toBe(true);
    await tf.setBackend('cpu');
    expect(run('sum')).toEqual(sums);
    expect(run('mean')).toEqual(means);
    tf.setBackend('wasm');
  });
});

describe('same-dtype Cast', () => {
  it('shares the buffer when the dtype stays, and converts as the stock kernel does when it changes', async () => {
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier: 'pure', warn: (m) => expect.fail(m) });
    const x = tf.tensor2d([[1.5, -2.5], [0.25, 7]]);
    const same = tf.cast(x, 'float32');
    expect(same.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(same.dataSync())).toEqual([1.5, -2.5, 0.25, 7]); // still alive: the reference was counted
    const ints = tf.cast(same, 'int32');
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([1, -2, 0, 7]);
    expect(report.overrides.find((h) => h.kernelName === 'Cast')?.handled).toBeGreaterThan(0);
    tf.dispose([same, ints]);
  });
});

describe.each(['pure', 'native'] as const)('%s tier Cast to bool', (tier) => {
  it('is 1 wherever the number is not 0, NaN included, as on tfjs\'s cpu backend (tfjs-wasm keeps a truncated low byte)', async () => {
    if (tier === 'native' && !native) return;
    tf.setBackend('wasm');
    const report = await installAcceleration({ tier, warn: (m) => expect.fail(m) });
    const cast = report.overrides.find((h) => h.kernelName === 'Cast');
    const before = cast?.handled ?? -1;
    const floats = [0, -0, 0.5, -1, 2, Number.NaN, Infinity, -Infinity, 1e-45, -0.25, 255, 256];
    const ints = [0, 3, -2, 1, 256, -256];
    const run = () =>
      tf.tidy(() => [tf.tensor1d(floats), tf.tensor1d(ints, 'int32')].map((x) => {
        const b = tf.cast(x, 'bool');
        return { dtype: b.dtype, values: Array.from(b.dataSync()), back: Array.from(tf.cast(b, 'float32').dataSync()) };
      }));
    const got = run();
    expect(got[0]?.values).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(got[1]?.back).toEqual([0, 1, 1, 1, 1, 1]);
    expect((cast?.handled ?? 0) - before).toBeGreaterThanOrEqual(2);
    await tf.setBackend('cpu');
    expect(run()).toEqual(got);
    tf.setBackend('wasm');
    expect(cast?.active).toBe(true);
  });
});

describe('the addon\'s rowSum', () => {
  it('adds each row from its first element in float32, and refuses ranges outside the array or an output over its input', async () => {
    const loaded = await loadNativeBlas();
    if (!loaded.ok || !loaded.blas.rowSum) return; // addon not built here
    const rowSum = loaded.blas.rowSum.bind(loaded.blas);
    // 19 rows: two groups of the eight the addon adds at once, and a tail of three
    const [rows, cols] = [19, 37];
    const heap = new Float32Array(rows * cols + rows + 5);
    for (let i = 0; i < rows * cols; i++) heap[i] = Math.sin(i * 7.13) * 10 ** ((i % 7) - 3);
    rowSum(heap, 0, rows, cols, rows * cols + 5);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s = Math.fround(s + heap[r * cols + j]!);
      expect(Object.is(heap[rows * cols + 5 + r], s), `row ${r}`).toBe(true);
    }
    expect(() => rowSum(heap, 0, rows, cols, rows * cols + 6)).toThrow(/out/);
    expect(() => rowSum(heap, 0, rows, cols, 10)).toThrow(/overlaps its input/);
    expect(() => rowSum(heap, 0, -1, cols, 0)).toThrow(/non-negative/);
  });
});

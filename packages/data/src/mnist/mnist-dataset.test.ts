import { describe, expect, it } from 'vitest';
import { embeddedMnistSplits, importDigits, mnistDataset, scanInstalledDigits } from './mnist-dataset.js';

describe('mnist (embedded)', () => {
  it('splits the 10,000 digits into a fixed 8,000/2,000, every class in both, pixels in [0, 1]', async () => {
    const d = await mnistDataset.load({});
    expect(d.train.n).toBe(8000);
    expect(d.test.n).toBe(2000);
    expect(d.train.x.length).toBe(8000 * 784);
    const counts = new Array(10).fill(0);
    for (const y of d.test.y) counts[y]++;
    // ~200 per class expected; hypergeometric SD ≈ 13, so 150..260 is a > 3.5 SD band
    for (const c of counts) expect(c).toBeGreaterThan(150);
    for (const c of counts) expect(c).toBeLessThan(260);
    let min = Infinity;
    let max = -Infinity;
    for (const v of d.train.x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.99);
    const again = await mnistDataset.load({}, { maxTrain: 100, maxTest: 10 });
    expect(again.train.n).toBe(100);
    expect([...again.train.y]).toEqual([...d.train.y.subarray(0, 100)]);
    expect([...again.test.y]).toEqual([...d.test.y.subarray(0, 10)]);
  });
});

describe('mnist (embedded), read from the package files in Node', () => {
  const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => Object.is(v, b[i]));

  it("scans the package's 10,000 digits to the same float32 pixels and labels as importing the package", async () => {
    const imported = await importDigits();
    const x = new Float32Array(10_000 * 784);
    const y = new Int32Array(10_000).fill(-1);
    expect(await scanInstalledDigits((row, label, pixels) => (x.set(pixels, row * 784), (y[row] = label)))).toBe(true);
    expect(same(y, imported.y)).toBe(true);
    expect(same(x, imported.x)).toBe(true);
  });

  it("gives load() the splits that the import's digits give embeddedMnistSplits, limits included", async () => {
    const imported = await importDigits();
    for (const options of [undefined, { maxTrain: 300, maxTest: 7 }]) {
      const scanned = await mnistDataset.load({}, options);
      const expected = embeddedMnistSplits(imported.x, imported.y, options);
      for (const split of ['train', 'test'] as const) {
        expect(scanned[split].n).toBe(expected[split].n);
        expect(same(scanned[split].y, expected[split].y)).toBe(true);
        expect(same(scanned[split].x, expected[split].x)).toBe(true);
      }
    }
  });
});

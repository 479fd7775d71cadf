import { describe, expect, it } from 'vitest';
import { EMBEDDED_MNIST_PIXEL_VALUES, embeddedMnistByteSplits, embeddedMnistSplits, importDigits, mnistDataset, scanInstalledDigits } from './mnist-dataset.js';

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

  it('the table: each byte b is b / 255 to 3 decimals as float32, 256 different values', () => {
    expect(EMBEDDED_MNIST_PIXEL_VALUES.length).toBe(256);
    expect(new Set(EMBEDDED_MNIST_PIXEL_VALUES).size).toBe(256);
    expect([EMBEDDED_MNIST_PIXEL_VALUES[0], EMBEDDED_MNIST_PIXEL_VALUES[1], EMBEDDED_MNIST_PIXEL_VALUES[128], EMBEDDED_MNIST_PIXEL_VALUES[255]]).toEqual(
      [0, Math.fround(0.004), Math.fround(0.502), 1],
    );
  });

  it('embeddedMnistByteSplits keeps the bytes of the examples embeddedMnistSplits selects, and refuses the same limits', async () => {
    const imported = await importDigits();
    const codes = Uint8Array.from(imported.x, (v) => Math.round(v * 255));
    for (const options of [undefined, { maxTrain: 300, maxTest: 7 }, { maxTrain: 9000 }, { maxTest: 1 }]) {
      const bytes = embeddedMnistByteSplits(codes, imported.y, options);
      const expected = embeddedMnistSplits(imported.x, imported.y, options);
      for (const split of ['train', 'test'] as const) {
        expect(bytes[split].n).toBe(expected[split].n);
        // only the kept rows, one byte each
        expect(bytes[split].coded?.codes.buffer.byteLength).toBe(expected[split].n * 784);
        expect(same(bytes[split].y, expected[split].y)).toBe(true);
        expect(same(bytes[split].x, expected[split].x)).toBe(true);
      }
    }
    for (const options of [{ maxTrain: 0 }, { maxTest: 2.5 }]) {
      const message = (() => { try { embeddedMnistSplits(imported.x, imported.y, options); return 'none'; } catch (e) { return (e as Error).message; } })();
      expect(message).toMatch(/must be a positive integer/);
      expect(() => embeddedMnistByteSplits(codes, imported.y, options)).toThrow(message);
    }
    expect(() => embeddedMnistByteSplits(codes.subarray(1), imported.y)).toThrow(/need 10000 labels and 10000 × 784 pixels/);
  });

  it("gives load() the splits that the import's digits give embeddedMnistSplits, limits included", async () => {
    const imported = await importDigits();
    for (const options of [undefined, { maxTrain: 300, maxTest: 7 }]) {
      const scanned = await mnistDataset.load({}, options);
      const expected = embeddedMnistSplits(imported.x, imported.y, options);
      for (const split of ['train', 'test'] as const) {
        // held as the pixel bytes the package's decimals stand for, a quarter of float32's memory
        expect(scanned[split].coded?.codes.length).toBe(expected[split].n * 784);
        expect(scanned[split].coded?.values).toBe(EMBEDDED_MNIST_PIXEL_VALUES);
        expect(scanned[split].n).toBe(expected[split].n);
        expect(same(scanned[split].y, expected[split].y)).toBe(true);
        expect(same(scanned[split].x, expected[split].x)).toBe(true);
      }
    }
  });
});

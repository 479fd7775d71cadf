import { gunzipSync } from 'node:zlib';
import type { Dataset } from '@vib/core';
import { mnistDataset } from '@vib/data/mnist';
import { describe, expect, it } from 'vitest';
import { encodeMnistAsset } from '../../build/mnist-asset.js';
import { digitsFromAsset } from './mnist-asset-dataset.js';

// The page's digits (from the gzipped byte asset) against the CLI's (`vib train --dataset mnist`: @vib/data's
// plugin over the `mnist` package): the same examples, in the same order, with the same values, whatever the limits.
describe('the web demo\'s mnist asset loader selects the digits the CLI does', () => {
  const bytes = new Uint8Array(gunzipSync(encodeMnistAsset()));
  const same = (web: Dataset, cli: Dataset): void => {
    for (const split of ['train', 'test'] as const) {
      expect(web[split].n).toBe(cli[split].n);
      expect(web[split].y).toEqual(cli[split].y);
      // Bit for bit (toEqual on 6 M floats would be slow).
      expect(Buffer.from(web[split].x.buffer, web[split].x.byteOffset, web[split].x.byteLength).equals(Buffer.from(cli[split].x.buffer, cli[split].x.byteOffset, cli[split].x.byteLength))).toBe(true);
    }
    const { train: _a, test: _b, ...webInfo } = web;
    const { train: _c, test: _d, ...cliInfo } = cli;
    expect(webInfo).toEqual(cliInfo);
  };

  for (const limits of [{ maxTrain: 300, maxTest: 120 }, { maxTrain: 1 }, { maxTest: 2000 }, { maxTrain: 9000, maxTest: 5000 }, {}]) {
    it(`limits ${JSON.stringify(limits)}`, async () => {
      const cli = await mnistDataset.load({}, limits);
      const web = digitsFromAsset(bytes, limits);
      for (const split of ['train', 'test'] as const) {
        // the kept rows only, as bytes (before anything reads x, which drops them)
        expect(web[split].coded?.codes.buffer.byteLength).toBe(web[split].n * 784);
      }
      same(web, cli);
      expect(web.train.n).toBe(Math.min(8000, limits.maxTrain ?? 8000));
      expect(web.test.n).toBe(Math.min(2000, limits.maxTest ?? 2000));
    });
  }

  it('refuses a limit that is not a positive integer in the CLI\'s words', async () => {
    for (const limits of [{ maxTrain: 0 }, { maxTest: 2.5 }]) {
      const cli = await mnistDataset.load({}, limits).then(() => 'loaded', (e: Error) => e.message);
      expect(cli).toMatch(/must be a positive integer/);
      expect(() => digitsFromAsset(bytes, limits)).toThrow(cli);
    }
  });
});

import { DataError, type Dataset, type DatasetLoadOptions, type DatasetPlugin } from '@vib/core';
import { EMBEDDED_MNIST_INFO, EMBEDDED_MNIST_SIZE, embeddedMnistByteSplits, mnistConfigSchema } from '@vib/data/mnist';
import { fetchWithProgress } from './fetch-progress.js';

const PIXELS = 784;
/** The asset that build/mnist-asset.ts writes next to index.html. */
const ASSET = 'mnist-digits.u8.gz';


async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  // A server that sends Content-Encoding: gzip has already decoded it.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The dataset in the asset's bytes (labels, then pixels): @vib/data's `embeddedMnistByteSplits` (the fixed
 * 8,000/2,000 split, then `maxTrain`/`maxTest`, as `vib train` takes them), the kept rows copied as bytes with the
 * values the `mnist` package's decimals stand for: training and evaluation read the bytes, and `x` is built only
 * where a panel reads it.
 * @param bytes - the unzipped asset
 * @param options - `maxTrain` / `maxTest`
 * @returns the dataset, with the values the `mnist` package holds
 * @throws `ConfigError` when a limit is not a positive integer
 */
export function digitsFromAsset(bytes: Uint8Array, options?: DatasetLoadOptions): Dataset {
  const { train, test } = embeddedMnistByteSplits(bytes.subarray(EMBEDDED_MNIST_SIZE), bytes.subarray(0, EMBEDDED_MNIST_SIZE), options);
  return { ...EMBEDDED_MNIST_INFO, train, test };
}

let cache: Promise<Uint8Array> | null = null;

/**
 * The browser's `mnist` dataset plugin: the same 10,000 digits and fixed 8,000/2,000 split as @vib/data's
 * `mnist` (identical values), read from a 1.6 MB gzipped byte file fetched with progress, instead of the
 * `mnist` package's 21 MB of JSON.
 */
export const mnistAssetDataset: DatasetPlugin<Record<string, never>> = {
  name: 'mnist',
  description: '10,000 real MNIST digits (fetched as mnist-digits.u8.gz), fixed 8,000/2,000 split',
  configSchema: mnistConfigSchema,
  environments: ['browser'],
  async load(_config, options) {
    cache ??= fetchWithProgress(new URL(ASSET, document.baseURI).href, (f) => options?.onProgress?.(0.95 * f)).then(gunzip);
    let bytes: Uint8Array;
    try {
      bytes = await cache;
    } catch (error) {
      cache = null;
      throw error;
    }
    if (bytes.length !== EMBEDDED_MNIST_SIZE * (PIXELS + 1)) {
      cache = null;
      throw new DataError(`${ASSET} has ${bytes.length} bytes, expected ${EMBEDDED_MNIST_SIZE * (PIXELS + 1)}: rebuild the site (pnpm --filter @vib/web build)`);
    }
    const data = digitsFromAsset(bytes, options);
    options?.onProgress?.(1);
    return data;
  },
};

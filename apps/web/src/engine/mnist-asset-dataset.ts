import { DataError, seededPermutation, type DataSplit, type Dataset, type DatasetLoadOptions, type DatasetPlugin } from '@vib/core';
import { EMBEDDED_MNIST_INFO, EMBEDDED_MNIST_SIZE, EMBEDDED_MNIST_SPLIT_SEED, EMBEDDED_MNIST_TRAIN, mnistConfigSchema } from '@vib/data/mnist';
import { fetchWithProgress } from './fetch-progress.js';

const PIXELS = 784;
/** The asset that build/mnist-asset.ts writes next to index.html. */
const ASSET = 'mnist-digits.u8.gz';

/** Pixel byte → the `mnist` package's value (b/255 rounded to 3 decimals), so Node and the page see the same digits. */
const PIXEL_VALUE = Float32Array.from({ length: 256 }, (_, b) => Math.round((b / 255) * 1000) / 1000);

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  // A server that sends Content-Encoding: gzip has already decoded it.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function gather(bytes: Uint8Array, rows: ArrayLike<number>): DataSplit {
  const n = rows.length;
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const src = rows[r]!;
    y[r] = bytes[src]!;
    const off = EMBEDDED_MNIST_SIZE + src * PIXELS;
    for (let p = 0; p < PIXELS; p++) x[r * PIXELS + p] = PIXEL_VALUE[bytes[off + p]!]!;
  }
  return { x, y, n };
}

/**
 * The dataset in the asset's bytes (labels, then pixels): the fixed 8,000/2,000 split of @vib/data's `mnist`,
 * limited as its plugin limits it.
 * @param bytes - the unzipped asset
 * @param options - `maxTrain` / `maxTest`
 * @returns the dataset, with the values the `mnist` package holds
 */
export function digitsFromAsset(bytes: Uint8Array, options?: DatasetLoadOptions): Dataset {
  const perm = seededPermutation(EMBEDDED_MNIST_SIZE, EMBEDDED_MNIST_SPLIT_SEED);
  const train = perm.subarray(0, Math.min(EMBEDDED_MNIST_TRAIN, options?.maxTrain ?? EMBEDDED_MNIST_TRAIN));
  const test = perm.subarray(EMBEDDED_MNIST_TRAIN, EMBEDDED_MNIST_TRAIN + Math.min(EMBEDDED_MNIST_SIZE - EMBEDDED_MNIST_TRAIN, options?.maxTest ?? EMBEDDED_MNIST_SIZE));
  return { ...EMBEDDED_MNIST_INFO, train: gather(bytes, train), test: gather(bytes, test) };
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

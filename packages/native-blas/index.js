// Loads the compiled addon; throws an Error saying why when it was not built.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const path = join(root, 'build', 'Release', 'vib_native_blas.node');
if (!existsSync(path)) {
  throw new Error(
    `@vib/native-blas is installed but its addon was not built (${path} is missing): ` +
      'install g++ and libopenblas-dev, then run `pnpm --filter @vib/native-blas build:native`',
  );
}
const addon = createRequire(import.meta.url)(path);

export const sgemm = addon.sgemm;
export const biasAct = addon.biasAct;
export const adam = addon.adam;
export const ema = addon.ema;
export const polar = addon.polar;
export const colSum = addon.colSum;
export const rowSum = addon.rowSum;
export const convFields = addon.convFields;
export const maxPoolGrad = addon.maxPoolGrad;
export const maxPool = addon.maxPool;
export const fieldsProduct = addon.fieldsProduct;
export const foldProduct = addon.foldProduct;
export const leftFieldsProduct = addon.leftFieldsProduct;
export const unary = addon.unary;
export const fused = addon.fused;
export const vecSplits = addon.vecSplits;
export const getNumThreads = addon.getNumThreads;
export const setNumThreads = addon.setNumThreads;
export const config = addon.config;
export const gemmKernel = addon.gemmKernel;
export const setGemmKernel = addon.setGemmKernel;
export const addonPath = path;

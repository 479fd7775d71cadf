// @vib/native-blas with every function timed, for `bench/profile-step.ts … parts` (hooks.mjs puts it in the
// addon's place). Milliseconds and calls per function add up in `globalThis.__vibNativeTimings`, a Map from the
// function's name to { ms, calls }; those of sgemm, fieldsProduct and leftFieldsProduct per product, in `globalThis.__vibNativeProducts`,
// keyed by the function, "M×N×K" and the transposes (Aᵀ, Bᵀ). The profile reads and clears both around each step.
import * as real from '@vib/native-blas';

const timings = new Map();
const products = new Map();
globalThis.__vibNativeTimings = timings;
globalThis.__vibNativeProducts = products;

const add = (map, key, ms) => {
  const e = map.get(key) ?? { ms: 0, calls: 0 };
  e.ms += ms;
  e.calls += 1;
  map.set(key, e);
};
// sgemm(heap, transA, transB, M, N, K, …), fieldsProduct(heap, transA, transB, M, N, K, …) and
// leftFieldsProduct(heap, transA, M, N, K, …), whose right operand is never transposed
const productKey = (name, args) =>
  name === 'leftFieldsProduct'
    ? `${name} ${args[1] ? 'Aᵀ' : 'A'}·B ${args[2]}×${args[3]}×${args[4]}`
    : `${name} ${args[1] ? 'Aᵀ' : 'A'}·${args[2] ? 'Bᵀ' : 'B'} ${args[3]}×${args[4]}×${args[5]}`;
const PRODUCTS = new Set(['sgemm', 'fieldsProduct', 'leftFieldsProduct']);

/** The names the exports below time, as they are declared. */
const wrapped = new Set();
const timed = (name) => {
  wrapped.add(name);
  const f = real[name];
  return (...args) => {
    const t = performance.now();
    try {
      return f(...args);
    } finally {
      const ms = performance.now() - t;
      add(timings, name, ms);
      if (PRODUCTS.has(name)) add(products, productKey(name, args), ms);
    }
  };
};

export const sgemm = timed('sgemm');
export const biasAct = timed('biasAct');
export const adam = timed('adam');
export const ema = timed('ema');
export const polar = timed('polar');
export const colSum = timed('colSum');
export const rowSum = timed('rowSum');
export const convFields = timed('convFields');
export const maxPoolGrad = timed('maxPoolGrad');
export const maxPool = timed('maxPool');
export const fieldsProduct = timed('fieldsProduct');
export const foldProduct = timed('foldProduct');
export const leftFieldsProduct = timed('leftFieldsProduct');
export const unary = timed('unary');
export const fused = timed('fused');
export const vecSplits = timed('vecSplits');
export const getNumThreads = timed('getNumThreads');
export const setNumThreads = timed('setNumThreads');
export const config = timed('config');
export const gemmKernel = timed('gemmKernel');
export const setGemmKernel = timed('setGemmKernel');
export const addonPath = real.addonPath;

const untimed = Object.keys(real).filter((k) => typeof real[k] === 'function' && !wrapped.has(k));
if (untimed.length > 0) {
  throw new Error(`bench/native-timing: @vib/native-blas has functions this wrapper does not time (${untimed.join(', ')}): add them to timed-native-blas.mjs`);
}

import { simdKernels } from './simd-kernels.js';
import type { WasmBackendInternals } from './wasm-internals.js';

/**
 * One Adam update (Kingma & Ba 2015) on views of one heap, the way tfjs's AdamOptimizer computes it:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g² in place, out ← p − lr·(c1·m)/(√(c2·v) + ε), with c1 = 1/(1−β₁ᵗ),
 * c2 = 1/(1−β₂ᵗ). Offsets are in float elements; `out` may be `p`.
 */
export type AdamUpdate = (
  heap: Float32Array, n: number, pOff: number, gOff: number, mOff: number, vOff: number, outOff: number,
  lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number,
) => void;

/** An Adam update, or a chooser of one per wasm backend (e.g. the SIMD module where it instantiates). */
export type AdamUpdateSource = AdamUpdate | { forBackend(be: WasmBackendInternals): AdamUpdate };

/**
 * The pure-tier Adam update: one JavaScript loop over the wasm heap instead of ~12 kernels per variable.
 * @returns the update function
 */
export const jsAdamUpdate: AdamUpdate = (heap, n, pOff, gOff, mOff, vOff, outOff, lr, beta1, beta2, eps, c1, c2) => {
  const p = heap.subarray(pOff, pOff + n);
  const g = heap.subarray(gOff, gOff + n);
  const m = heap.subarray(mOff, mOff + n);
  const v = heap.subarray(vOff, vOff + n);
  const out = heap.subarray(outOff, outOff + n);
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = beta1 * (m[i] as number) + a1 * gi;
    const vi = beta2 * (v[i] as number) + a2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    out[i] = (p[i] as number) - (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
  }
};

/**
 * The pure tier's Adam: the SIMD wasm kernel on the backend's own memory (four lanes per instruction, ~10×
 * the JS loop here), else {@link jsAdamUpdate}.
 */
export const pureAdamUpdate: AdamUpdateSource = {
  forBackend(be) {
    const kernels = simdKernels(be);
    return kernels ? (_heap, n, p, g, m, v, out, lr, b1, b2, eps, c1, c2) => kernels.adam(n, p, g, m, v, out, lr, b1, b2, eps, c1, c2) : jsAdamUpdate;
  },
};

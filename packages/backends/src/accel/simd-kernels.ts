import { scalarElementwise } from './fused/fused-elementwise.js';
import { SIMD_FUSED_NAMES } from './simd-fused.js';
import { SIMD_UNARY_NAMES } from './simd-math.js';
import { simdHelperFor, startSimdHelper } from './simd-helper.js';
import { simdModuleBytes } from './simd-module.js';
import type { WasmBackendInternals } from './wasm-internals.js';

/** The pure tier's SIMD kernels, instantiated on the wasm backend's own memory (no copies). */
export interface SimdKernels {
  /**
   * Fused Adam over `n` floats; offsets in float elements of the backend heap (see `AdamUpdate`).
   */
  adam(n: number, pOff: number, gOff: number, mOff: number, vOff: number, outOff: number,
    lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number): void;
  /**
   * dst = srcᵀ for one rows×cols float matrix; offsets in float elements of the backend heap.
   */
  transpose(srcOff: number, dstOff: number, rows: number, cols: number): void;
  /**
   * out[i] = f(in[i]) over `n` floats (offsets in float elements of the backend heap); `op` numbers exp, log,
   * log1p, softplus, tanh, sigmoid from 0 (as `UNARY_OPS`). Four lanes per instruction; the n mod 4 tail in JS.
   */
  unary(op: number, inOff: number, outOff: number, n: number): void;
  /**
   * out[i] = op(a[i], b[i], c[i]) over `n` floats: the fused chains numbered as `FUSED_ELEMENTWISE` (offsets in
   * float elements; `c` read by the reparameterization chains only). Four lanes per instruction; the tail in JS.
   */
  fused(op: number, aOff: number, bOff: number, cOff: number, outOff: number, n: number): void;
  /** out = fround(a·d) + fround(v·(1 − d)) over `n` floats, rounded as tfjs's Mul and Add kernels round (offsets in float elements). */
  ema(aOff: number, vOff: number, outOff: number, n: number, decay: number): void;
}

/** Scalar versions for the tail of {@link SimdKernels.unary}, in op order. */
const SCALAR: readonly ((x: number) => number)[] = [
  Math.exp, Math.log, Math.log1p,
  (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  Math.tanh,
  (x) => 1 / (1 + Math.exp(-x)),
];

type Exports = {
  adam(p: number, g: number, m: number, v: number, out: number, bytes: number, lr: number, b1: number, b2: number, eps: number, c1: number, c2: number): void;
  transpose4(src: number, dst: number, rows: number, cols: number, rows4: number, cols4: number): void;
} & Record<(typeof SIMD_UNARY_NAMES)[number], (src: number, dst: number, bytes: number) => void>
  & Record<string, (a: number, b: number, c: number, out: number, bytes: number) => void>;

const STRIP = 8;
/** Calls this long (floats) and longer give half their work to the helper thread, where one runs. */
const SPLIT = 1 << 16;
const cache = new WeakMap<object, SimdKernels | null>();

/**
 * The backend's WebAssembly.Memory: tfjs-backend-wasm 4.22 keeps the instance exports on `wasm.asm`, and its
 * threaded build, whose memory is imported rather than exported, keeps it on `wasm.wasmMemory`.
 */
function memoryOf(be: WasmBackendInternals): WebAssembly.Memory | null {
  const m = be.wasm as { asm?: { memory?: unknown }; wasmMemory?: unknown };
  const mem = m.asm?.memory ?? m.wasmMemory;
  // Not `instanceof`: the memory may come from another realm (vitest's VM contexts).
  return typeof WebAssembly === 'object' && Object.prototype.toString.call(mem) === '[object WebAssembly.Memory]' ? (mem as WebAssembly.Memory) : null;
}

/**
 * Build the kernels on `memory` (plain, or shared as in tfjs-wasm's threaded build).
 * @param be - the backend whose heap `memory` is (its HEAPF32 is read for the scalar tails)
 * @param memory - the backend's WebAssembly memory
 * @returns the kernels, or null without wasm SIMD
 */
export function instantiateSimdKernels(be: WasmBackendInternals, memory: WebAssembly.Memory): SimdKernels | null {
  let x: Exports;
  try {
    // The threaded build's heap is a shared memory, and an import must declare the same sharedness.
    const shared = Object.prototype.toString.call(memory.buffer) === '[object SharedArrayBuffer]';
    const instance = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes(shared)), { env: { mem: memory } });
    x = instance.exports as unknown as Exports;
  } catch {
    return null; // no wasm SIMD: callers fall back to JavaScript
  }
  return {
    adam(n, pOff, gOff, mOff, vOff, outOff, lr, beta1, beta2, eps, c1, c2) {
      const n4 = n & ~3;
      const helper = n4 >= SPLIT ? simdHelperFor(memory) : undefined;
      // the helper takes [half, n4) (half a multiple of 16 floats: 64-byte aligned), this thread [0, half)
      const half = helper ? (n4 >> 1) & ~15 : n4;
      if (helper) {
        const b = half * 4;
        helper.start('adam', [pOff * 4 + b, gOff * 4 + b, mOff * 4 + b, vOff * 4 + b, outOff * 4 + b, (n4 - half) * 4, lr, beta1, beta2, eps, c1, c2]);
      }
      x.adam(pOff * 4, gOff * 4, mOff * 4, vOff * 4, outOff * 4, half * 4, lr, beta1, beta2, eps, c1, c2);
      helper?.wait();
      if (n4 === n) return;
      const h = be.wasm.HEAPF32;
      const nlr = Math.fround(-lr);
      for (let i = n4; i < n; i++) {
        const gi = h[gOff + i] as number;
        const mi = Math.fround(Math.fround(beta1 * (h[mOff + i] as number)) + Math.fround(Math.fround(1 - beta1) * gi));
        const vi = Math.fround(Math.fround(beta2 * (h[vOff + i] as number)) + Math.fround(Math.fround(1 - beta2) * gi * gi));
        h[mOff + i] = mi;
        h[vOff + i] = vi;
        h[outOff + i] = (h[pOff + i] as number) + nlr * ((mi * c1) / (Math.sqrt(vi * c2) + eps));
      }
    },
    unary(op, inOff, outOff, n) {
      const name = SIMD_UNARY_NAMES[op];
      const f = SCALAR[op];
      if (!name || !f) throw new Error(`unknown unary op ${op}: expected 0–${SIMD_UNARY_NAMES.length - 1}`);
      const n4 = n & ~3;
      if (n4 > 0) x[name](inOff * 4, outOff * 4, n4 * 4);
      const h = be.wasm.HEAPF32;
      for (let i = n4; i < n; i++) h[outOff + i] = f(h[inOff + i] as number);
    },
    fused(op, aOff, bOff, cOff, outOff, n) {
      const name = SIMD_FUSED_NAMES[op];
      if (!name) throw new Error(`unknown fused elementwise op ${op}: expected 0–${SIMD_FUSED_NAMES.length - 1}`);
      const n4 = n & ~3;
      if (n4 > 0) (x[name] as (a: number, b: number, c: number, o: number, bytes: number) => void)(aOff * 4, bOff * 4, cOff * 4, outOff * 4, n4 * 4);
      if (n4 < n) scalarElementwise(be.wasm.HEAPF32, op, n4, n, [aOff, bOff, cOff, outOff]);
    },
    ema(aOff, vOff, outOff, n, decay) {
      const [d, e] = [Math.fround(decay), Math.fround(1 - decay)];
      const n4 = n & ~3;
      if (n4 > 0) (x['ema'] as unknown as (a: number, v: number, o: number, bytes: number, d: number, e: number) => void)(aOff * 4, vOff * 4, outOff * 4, n4 * 4, d, e);
      const h = be.wasm.HEAPF32;
      for (let i = n4; i < n; i++) h[outOff + i] = Math.fround((h[aOff + i] as number) * d) + Math.fround((h[vOff + i] as number) * e);
    },
    transpose(srcOff, dstOff, rows, cols) {
      const rows4 = rows & ~3;
      const cols4 = cols & ~3;
      // Column strips of 8: the 8 destination rows being filled stay in L1 even when the destination stride is
      // a multiple of 4 KiB (one 4×4 sweep over whole rows ran 2.1 ns/element at 1024×1024, strips 0.7–1.0).
      // Long ones: the helper thread takes the rows from `part` on (a multiple of 4), this thread those before.
      const helper = rows4 > 0 && rows4 * cols4 >= SPLIT ? simdHelperFor(memory) : undefined;
      const part = helper ? (rows4 >> 1) & ~3 : rows4;
      if (helper) helper.start('transposeRows', [(srcOff + part * cols) * 4, (dstOff + part) * 4, rows, cols, rows4 - part, cols4, STRIP]);
      if (part > 0) {
        for (let j0 = 0; j0 < cols4; j0 += STRIP) {
          x.transpose4((srcOff + j0) * 4, (dstOff + j0 * rows) * 4, rows, cols, part, Math.min(STRIP, cols4 - j0));
        }
      }
      helper?.wait();
      if (rows4 === rows && cols4 === cols) return;
      const h = be.wasm.HEAPF32;
      for (let i = 0; i < rows; i++) {
        const s = srcOff + i * cols;
        for (let j = i < rows4 ? cols4 : 0; j < cols; j++) h[dstOff + j * rows + i] = h[s + j] as number;
      }
    },
  };
}

/**
 * The SIMD kernels for a wasm backend, built once per backend memory.
 * @param be - wasm backend internals
 * @returns the kernels, or null where the memory is not reachable or wasm SIMD is unavailable
 */
export function simdKernels(be: WasmBackendInternals): SimdKernels | null {
  const memory = memoryOf(be);
  if (!memory) return null;
  if (!cache.has(memory)) cache.set(memory, instantiateSimdKernels(be, memory));
  return cache.get(memory) ?? null;
}

/**
 * Start the helper thread that takes half of each long Adam and transpose call (see `simd-helper.ts`), for a wasm
 * backend whose heap is shared (tfjs-wasm's threaded build) in Node.
 * @param be - wasm backend internals
 * @returns whether a helper runs now
 */
export async function useSimdHelper(be: WasmBackendInternals): Promise<boolean> {
  const memory = memoryOf(be);
  if (memory === null || simdKernels(be) === null) return false;
  // every setup asks; the module's bytes are emitted only for the first
  return simdHelperFor(memory) !== undefined || (await startSimdHelper(memory, simdModuleBytes(true))) !== null;
}

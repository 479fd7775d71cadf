import { afterEach, describe, expect, it } from 'vitest';
import { fma32 } from '../testing/product-term.js';
import { simdModuleBytes } from './simd-module.js';
import { decideWasmFma, wasmFma } from './wasm-fma.js';

/** x = 1 + 2⁻¹²: x·x = 1 + 2⁻¹¹ + 2⁻²⁴, and x·x − 1 is 2⁻¹¹ + 2⁻²⁴ rounded once, 2⁻¹¹ rounded twice. */
const X = 1 + 2 ** -12;

/**
 * C (1×8) = A (1×2) · B (2×8) through the module's dense GEMM (`gemm1`) and its sparse form (`sparse1`), on a page of
 * its own: A = [1, x], every column of B = [−1, x], so each C element is (1·−1) + x·x.
 */
function products(fma: boolean): { dense: number; sparse: number } {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const x = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes(false, fma)), { env: { mem: memory } }).exports as Record<string, (...args: number[]) => void>;
  const heap = new Float32Array(memory.buffer);
  const [aOff, bpOff, cOff, listOff] = [0, 16, 64, 128];
  const [countsOff, boundsOff] = [listOff + 8, listOff + 9];
  heap.set([1, X], aOff);
  for (let j = 0; j < 8; j++) [heap[bpOff + j], heap[bpOff + 8 + j]] = [-1, X]; // one panel of k×8, k-major
  (x['gemm1'] as (...a: number[]) => void)(aOff * 4, 8, bpOff * 4, cOff * 4, 32, 8, 1, 0, 1);
  const dense = heap[cOff] as number;
  (x['rowNonzeros'] as (...a: number[]) => void)(aOff * 4, 8, 1, listOff * 4, countsOff * 4, boundsOff * 4, 1);
  (x['sparse1'] as (...a: number[]) => void)(listOff * 4, boundsOff * 4, bpOff * 4, (cOff + 8) * 4, 32, 2 * 32, 1, 0, 1, 1);
  return { dense, sparse: heap[cOff + 8] as number };
}

describe('relaxed-SIMD multiply-add for the pure GEMM (wasm-fma.ts)', () => {
  afterEach(() => {
    delete process.env['VIB_WASM_FMA'];
  });

  it('fma32 rounds a·b + c once, a midpoint by the sum the double dropped', () => {
    expect(fma32(X, X, -1)).toBe(2 ** -11 + 2 ** -24);
    expect(Math.fround(Math.fround(X * X) - 1)).toBe(2 ** -11);
    // 1 + 2⁻²⁴ is halfway between 1 and 1 + 2⁻²³: a tiny c above or below picks the side, none leaves the tie to even
    const tiny = 2 ** -60;
    expect(fma32(1 + 2 ** -12, 1 + 2 ** -12, -(2 ** -11) + tiny)).toBe(1 + 2 ** -23);
    expect(fma32(1 + 2 ** -12, 1 + 2 ** -12, -(2 ** -11) - tiny)).toBe(1);
    expect(fma32(1 + 2 ** -12, 1 + 2 ** -12, -(2 ** -11))).toBe(1);
  });

  it('in Node 20.16 and later, uses relaxed_madd (enabling V8 flag where needed); the products say how they round', () => {
    const status = wasmFma();
    expect(status).toBe(wasmFma()); // decided once
    expect(status.madd).toBe(true);
    expect(status.reason).toMatch(/relaxed_madd/);
    const madd = products(true);
    // dense and sparse forms agree, and round as the decision says: once where the CPU fuses, else twice
    expect(madd.sparse).toBe(madd.dense);
    expect(madd.dense).toBe(status.fused ? 2 ** -11 + 2 ** -24 : 2 ** -11);
    expect(status.reason).toMatch(status.fused ? /one rounding/ : /two roundings/);
  });

  it('multiplies, then adds, without relaxed SIMD in the module or with VIB_WASM_FMA=0', () => {
    expect(products(false)).toEqual({ dense: 2 ** -11, sparse: 2 ** -11 });
    process.env['VIB_WASM_FMA'] = '0';
    const off = decideWasmFma();
    expect(off).toMatchObject({ madd: false, fused: false });
    expect(off.reason).toMatch(/VIB_WASM_FMA=0/);
    delete process.env['VIB_WASM_FMA'];
    expect(decideWasmFma().madd).toBe(true);
  });
});

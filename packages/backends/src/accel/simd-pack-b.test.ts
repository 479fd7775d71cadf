import { describe, expect, it } from 'vitest';
import { simdModuleBytes } from './simd-module.js';

/** Floats before B, between the areas, and after the panels: a guard that packB must leave as it was. */
const GUARD = 16;
const SENTINEL = 0x7fc0dead; // a NaN with a payload, which no copy of B's values can produce
/** The SIMD module, compiled once (each case instantiates it over a memory of its own). */
let compiled: WebAssembly.Module | undefined;

/**
 * packB over panels [p0, p1) of a K×(8·panels) matrix B with a row stride of `ld` floats, in one instance of the
 * SIMD module over a memory of its own, called in pieces of `step` panels as the GEMMs call it (4 for the dense one,
 * 3 for the sparse one): the panel area (every panel, sentinels where none was written) and the flag.
 */
function packB(K: number, panels: number, ld: number, p0: number, p1: number, step: number, special?: { readonly k: number; readonly col: number; readonly value: number }): { area: Uint32Array; flag: number; b: Float32Array } {
  const bAt = GUARD;
  const dstAt = bAt + K * ld + GUARD;
  const flagAt = dstAt + panels * K * 8 + GUARD;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(((flagAt + GUARD) * 4) / 65536) + 1 });
  const x = new WebAssembly.Instance((compiled ??= new WebAssembly.Module(simdModuleBytes(false, false))), { env: { mem: memory } }).exports as Record<string, (...args: number[]) => void>;
  const f = new Float32Array(memory.buffer);
  const words = new Uint32Array(memory.buffer);
  words.fill(SENTINEL);
  for (let k = 0; k < K; k++) for (let j = 0; j < ld; j++) f[bAt + k * ld + j] = Math.sin(7 * k + 3 * j + 1) * (j % 5 === 0 ? -1 : 1) + (j % 13 === 0 ? -0 : 0);
  if (special) f[bAt + special.k * ld + special.col] = special.value;
  words[flagAt] = 0;
  for (let q = p0; q < p1; q += step) x['packB']?.(4 * bAt, 4 * ld, 4 * dstAt, K, q, Math.min(p1, q + step), 4 * flagAt);
  return { area: words.slice(dstAt - GUARD, flagAt), flag: words[flagAt] as number, b: f.slice(bAt, bAt + K * ld) };
}

/** The panel area as packB should leave it: panel p's k-th 8 floats are B[k][8p … 8p+7] for p in [p0, p1), sentinels elsewhere. */
function expected(b: Float32Array, K: number, panels: number, ld: number, p0: number, p1: number): Uint32Array {
  const want = new Uint32Array(GUARD + panels * K * 8 + GUARD).fill(SENTINEL);
  const bits = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let p = p0; p < p1; p++) for (let k = 0; k < K; k++) for (let c = 0; c < 8; c++) want[GUARD + (p * K + k) * 8 + c] = bits[k * ld + 8 * p + c] as number;
  return want;
}

describe("packB: a row-major B's panels of 8 columns, k-major", () => {
  // panels a call takes: turns of 4, of 2 and single ones, from even and odd first panels
  const ranges: [number, number, number][] = [[9, 0, 9], [9, 1, 9], [9, 0, 3], [9, 2, 5], [9, 3, 4], [9, 5, 8], [4, 0, 4], [2, 1, 2], [1, 0, 1], [7, 1, 6]];
  it.each(ranges)('of %i panels, [%i, %i): bit for bit the columns of B, in one call, in pieces of 4 and of 3, nothing written outside', (panels, p0, p1) => {
    for (const [K, ld] of [[5, 8 * panels], [37, 8 * panels + 3], [64, 1024]] as const) {
      if (ld < 8 * panels) continue;
      for (const step of [p1 - p0, 4, 3]) {
        const r = packB(K, panels, ld, p0, p1, step);
        expect(Buffer.from(r.area.buffer).equals(Buffer.from(expected(r.b, K, panels, ld, p0, p1).buffer)), `K ${K}, row stride ${ld}, pieces of ${step}`).toBe(true);
        expect(r.flag, 'all finite').toBe(0);
      }
    }
  });

  it('flags an infinity or a NaN in any panel of a turn (of 4, of 2, single), and none outside the panels it takes', () => {
    const [K, panels, ld] = [6, 7, 60];
    // panels 0–3 are a turn of 4, 4–5 a turn of 2, 6 a single one; each column of each, in the middle row
    for (let col = 0; col < 8 * panels; col++) {
      for (const value of [Infinity, -Infinity, Number.NaN]) {
        expect(packB(K, panels, ld, 0, panels, panels, { k: 3, col, value }).flag, `column ${col}, ${value}`).toBe(1);
      }
    }
    // a NaN in the stride's padding, or in a panel the call does not take, is not read
    expect(packB(K, panels, ld, 0, panels, panels, { k: 2, col: 8 * panels + 1, value: Number.NaN }).flag).toBe(0);
    expect(packB(K, panels, ld, 2, panels, panels, { k: 2, col: 9, value: Number.NaN }).flag).toBe(0);
  });
});

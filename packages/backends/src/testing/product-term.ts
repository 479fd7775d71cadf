import { wasmFma } from '../accel/wasm-fma.js';

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The double next to a finite nonzero x, away from zero (`up`) or towards it. */
function nextDouble(x: number, away: boolean): number {
  f64[0] = x;
  i64[0] = (i64[0] as bigint) + (away ? 1n : -1n);
  return f64[0] as number;
}

/**
 * a·b + c rounded once to float32 (round to nearest, ties to even), for float32 a and b and a double c: what a fused
 * multiply-add of float32s gives. a·b is exact in a double (two 24-bit significands); the sum's rounding error comes
 * from TwoSum, and decides the one case a double can get wrong: a sum that lands exactly halfway between two float32s.
 * @param a - a float32
 * @param b - a float32
 * @param c - a float32 (or any double)
 * @returns the float32 result
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  if (!Number.isFinite(s) || s === 0) return Math.fround(s);
  const bv = s - p;
  const err = p - (s - bv) + (c - bv);
  const r = Math.fround(s);
  if (err === 0 || r === s) return r;
  // s is a float32 midpoint only where the doubles on either side of it round apart
  const away = nextDouble(s, true);
  const towards = nextDouble(s, false);
  if (Math.fround(away) === Math.fround(towards)) return r;
  return Math.fround((err > 0) === (s > 0) ? away : towards);
}

/**
 * One term of the pure GEMM's k-order sum, s + a·b, rounded as its kernels round it in this process: once where its
 * products are relaxed_madd and the CPU fuses them (see `wasmFma`), else the product and then the sum.
 * @param s - the sum so far (float32)
 * @param a - an element of A (float32)
 * @param b - an element of B (float32)
 * @returns the new sum (float32)
 */
export function gemmTerm(s: number, a: number, b: number): number {
  return wasmFma().fused ? fma32(a, b, s) : Math.fround(s + Math.fround(a * b));
}

/**
 * C = A·op(B) as the pure GEMM computes it: each element summed in k order from +0, each term rounded by
 * {@link gemmTerm}. A is m×k, B k×n (or n×k where `transposeB`), all row-major.
 * @param a - A
 * @param b - B
 * @param m - rows of A
 * @param k - columns of A
 * @param n - columns of C
 * @param transposeB - B is stored n×k
 * @returns C, m×n
 */
export function gemmReference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transposeB = false): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s = gemmTerm(s, a[i * k + q] as number, b[transposeB ? j * k + q : q * n + j] as number);
      c[i * n + j] = s;
    }
  }
  return c;
}

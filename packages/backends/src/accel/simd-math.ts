import { OP, T, simd, sleb, uleb, type WasmFunction } from './wasm-emit.js';

// Vectorized exp/log family for the pure tier, emitted as wasm SIMD (f32x4). The same algorithms as
// @vib/native-blas's vec-math.h: Cephes's expf/logf polynomials (S. L. Moshier), range reduction by powers of 2.

type Code = number[];
/** local.get i (shared with the fused chains in simd-fused.ts). */
export const get = (i: number): Code => [OP.localGet, ...uleb(i)];
/** local.set i. */
export const set = (i: number): Code => [OP.localSet, ...uleb(i)];
/** The f32x4/i32x4 instructions used here. */
export const S = {
  load: simd(0x00, 2, 0), store: simd(0x0b, 2, 0),
  and: simd(0x4e), andnot: simd(0x4f), or: simd(0x50), bitselect: simd(0x52),
  eq: simd(0x41), ne: simd(0x42), lt: simd(0x43), gt: simd(0x44),
  abs: simd(0xe0), neg: simd(0xe1), floor: simd(0x68),
  add: simd(0xe4), sub: simd(0xe5), mul: simd(0xe6), div: simd(0xe7), pmin: simd(0xea), pmax: simd(0xeb),
  iadd: simd(0xae), isub: simd(0xb1), shl: simd(0xab), shrS: simd(0xac), shrU: simd(0xad),
  convert: simd(0xfa),
};
/** v128.const of four equal f32 lanes. */
export const f4 = (x: number): Code => simd(0x0c, ...[0, 1, 2, 3].flatMap(() => [...new Uint8Array(new Float32Array([x]).buffer)]));
/** v128.const of four equal i32 lanes. */
const i4 = (x: number): Code => simd(0x0c, ...[0, 1, 2, 3].flatMap(() => [...new Uint8Array(new Int32Array([x]).buffer)]));
/** i32.const x. */
export const i32c = (x: number): Code => [OP.i32Const, ...sleb(x)];
/** Horner: ((c0·x + c1)·x + c2)… with x from a local. */
const horner = (x: number, cs: readonly number[]): Code => [
  ...f4(cs[0] as number),
  ...cs.slice(1).flatMap((c) => [...get(x), ...S.mul, ...f4(c), ...S.add]),
];
/** `bitselect(a, b, mask)`: lanes of a where mask, else b (operands pushed in that order). */
const select = (a: Code, b: Code, mask: Code): Code => [...a, ...b, ...mask, ...S.bitselect];

const INF = Number.POSITIVE_INFINITY;

/**
 * Scratch locals each function may use: indices from `base` (after the 4 parameters and the loop counter).
 */
export class Locals {
  private next: number;
  constructor(base: number) {
    this.next = base;
  }
  take(): number {
    return this.next++;
  }
  get count(): number {
    return this.next;
  }
}

/** e^x of local x into local `out`: x = n·ln2 + r, e^r by a degree-6 polynomial, 2^n as two exponent factors; +inf above 88.72, 0 below −87. */
export function expInto(x: number, out: number, L: Locals): Code {
  const [xc, n, r, ni, half] = [L.take(), L.take(), L.take(), L.take(), L.take()];
  const [hi, lo] = [88.7228391, -87]; // below e^−87 ≈ 1.6e-38: 0, so no lane ever computes a (slow) subnormal
  // The clamp takes pmax/pmin (one instruction each in V8; max/min's NaN and −0 rules cost a sequence): a NaN lane
  // is restored at the end. n, a whole number in [−126, 128], becomes an i32 by the 1.5·2²³ trick (its bits less
  // those of 1.5·2²³) rather than trunc_sat's sequence. Both measured side by side with the same bits for every lane
  // (specials included): exp 215 → 140 µs for 78,400 floats, sigmoid 241 → 165, tanh 316 → 228, softplus 784 → 625.
  return [
    ...get(x), ...f4(lo), ...S.pmax, ...f4(hi), ...S.pmin, ...set(xc),
    ...get(xc), ...f4(1.44269504088896341), ...S.mul, ...f4(0.5), ...S.add, ...S.floor, ...set(n),
    ...get(xc), ...get(n), ...f4(0.693359375), ...S.mul, ...S.sub, ...get(n), ...f4(2.1219444e-4), ...S.mul, ...S.add, ...set(r),
    ...horner(r, [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]),
    ...get(r), ...S.mul, ...get(r), ...S.mul, ...get(r), ...S.add, ...f4(1), ...S.add,
    ...get(n), ...f4(12582912), ...S.add, ...i4(0x4b400000), ...S.isub, ...set(ni),
    ...get(ni), ...i32c(1), ...S.shrS, ...set(half),
    ...get(half), ...i4(127), ...S.iadd, ...i32c(23), ...S.shl, ...S.mul,
    ...get(ni), ...get(half), ...S.isub, ...i4(127), ...S.iadd, ...i32c(23), ...S.shl, ...S.mul,
    ...set(out),
    ...select(f4(INF), get(out), [...get(x), ...f4(hi), ...S.gt]), ...set(out),
    ...get(out), ...get(x), ...f4(lo), ...S.lt, ...S.andnot, ...set(out),
    ...select(get(x), get(out), [...get(x), ...get(x), ...S.ne]), ...set(out),
  ];
}

/** log x of local x into local `out` (0 → −inf, x < 0 or NaN → NaN, +inf → +inf; subnormals scaled by 2^23). */
function logInto(x: number, out: number, L: Locals): Code {
  const [tiny, xs, e, m, small, z] = [L.take(), L.take(), L.take(), L.take(), L.take(), L.take()];
  return [
    ...get(x), ...f4(1.17549435e-38), ...S.lt, ...get(x), ...f4(0), ...S.gt, ...S.and, ...set(tiny),
    ...select([...get(x), ...f4(8388608), ...S.mul], get(x), get(tiny)), ...set(xs),
    ...get(xs), ...i32c(23), ...S.shrU, ...i4(0xff), ...S.and, ...i4(126), ...S.isub, ...S.convert,
    ...get(tiny), ...f4(23), ...S.and, ...S.sub, ...set(e),
    ...get(xs), ...i4(0x807fffff | 0), ...S.and, ...i4(0x3f000000), ...S.or, ...set(m),
    ...get(m), ...f4(0.707106781186547524), ...S.lt, ...set(small),
    ...get(e), ...get(small), ...f4(1), ...S.and, ...S.sub, ...set(e),
    ...get(m), ...get(m), ...get(small), ...S.and, ...S.add, ...f4(1), ...S.sub, ...set(m),
    ...get(m), ...get(m), ...S.mul, ...set(z),
    ...horner(m, [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
      -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1]),
    ...get(m), ...S.mul, ...get(z), ...S.mul,
    ...get(e), ...f4(2.12194440e-4), ...S.mul, ...S.sub,
    ...get(z), ...f4(0.5), ...S.mul, ...S.sub,
    ...get(m), ...S.add, ...get(e), ...f4(0.693359375), ...S.mul, ...S.add, ...set(out),
    ...select(f4(-INF), get(out), [...get(x), ...f4(0), ...S.eq]), ...set(out),
    ...select(get(x), get(out), [...get(x), ...f4(INF), ...S.eq]), ...set(out),
    ...select(f4(Number.NaN), get(out), [...get(x), ...f4(0), ...S.lt, ...get(x), ...get(x), ...S.ne, ...S.or]), ...set(out),
  ];
}

/** log(1 + x) of local x into `out`: log(u)·x/(u − 1) with u = 1 + x rounded (Goldberg 1991); x where u = 1. */
function log1pInto(x: number, out: number, L: Locals): Code {
  const [u, d, isZero, lu] = [L.take(), L.take(), L.take(), L.take()];
  return [
    ...get(x), ...f4(1), ...S.add, ...set(u),
    ...get(u), ...f4(1), ...S.sub, ...set(d),
    ...get(d), ...f4(0), ...S.eq, ...set(isZero),
    ...logInto(u, lu, L),
    ...get(lu), ...get(x), ...select(f4(1), get(d), get(isZero)), ...S.div, ...S.mul, ...set(out),
    ...select(get(x), get(out), get(isZero)), ...set(out),
    ...select(get(x), get(out), [...get(x), ...f4(INF), ...S.eq]), ...set(out),
  ];
}

export type Body = (x: number, out: number, L: Locals) => Code;

/** The unary bodies by name (exp, log, log1p, softplus, sigmoid, tanh). */
export const BODIES: Record<string, Body> = {
  exp: expInto,
  log: logInto,
  log1p: log1pInto,
  // max(x, 0) + log1p(u), u = e^−|x| in [0, 1], with log1p(u) = 2·atanh(s), s = u/(2 + u) in [0, 1/3]:
  // 2s·(1 + s²/3 + … + s¹²/13), as vec-math.h's softplusv (pmax: max(−0, 0) is ±0 either way before adding log1p(1);
  // a NaN is restored below). One division and a degree-6 polynomial instead of the general log1p: the Bernoulli
  // chain softplus(a) − b·a took 628 → 301 µs for 78,400 floats, within 2.4e-7 relative of the float64 closed form.
  softplus: (x, out, L) => {
    const [ax, ex, s, z] = [L.take(), L.take(), L.take(), L.take()];
    return [
      ...get(x), ...S.abs, ...S.neg, ...set(ax), ...expInto(ax, ex, L),
      ...get(ex), ...f4(2), ...get(ex), ...S.add, ...S.div, ...set(s),
      ...get(s), ...get(s), ...S.mul, ...set(z),
      ...get(x), ...f4(0), ...S.pmax,
      ...get(s), ...get(s), ...S.add,
      ...horner(z, [1 / 13, 1 / 11, 1 / 9, 1 / 7, 1 / 5, 1 / 3, 1]),
      ...S.mul, ...S.add, ...set(out),
      ...select(get(x), get(out), [...get(x), ...get(x), ...S.ne]), ...set(out),
    ];
  },
  // 1 / (1 + e^−x)
  sigmoid: (x, out, L) => {
    const [nx, ex] = [L.take(), L.take()];
    return [...get(x), ...S.neg, ...set(nx), ...expInto(nx, ex, L), ...f4(1), ...f4(1), ...get(ex), ...S.add, ...S.div, ...set(out)];
  },
  // sign(x)·(1 − e^−2|x|)/(1 + e^−2|x|); x(1 − x²/3 + 2x⁴/15) below |x| = 0.05
  tanh: (x, out, L) => {
    const [a, ex, x2] = [L.take(), L.take(), L.take(), L.take()];
    return [
      ...get(x), ...S.abs, ...f4(-2), ...S.mul, ...set(a), ...expInto(a, ex, L),
      ...f4(1), ...get(ex), ...S.sub, ...f4(1), ...get(ex), ...S.add, ...S.div,
      ...get(x), ...i4(0x80000000 | 0), ...S.and, ...S.or, ...set(out),
      ...get(x), ...get(x), ...S.mul, ...set(x2),
      ...select(
        [...get(x), ...f4(1), ...get(x2), ...f4(-1 / 3), ...get(x2), ...f4(2 / 15), ...S.mul, ...S.add, ...S.mul, ...S.add, ...S.mul],
        get(out),
        [...get(x), ...S.abs, ...f4(0.05), ...S.lt],
      ), ...set(out),
      ...select(get(x), get(out), [...get(x), ...get(x), ...S.ne]), ...set(out),
    ];
  },
};

/** Names of the emitted functions, in the op numbering of `UNARY_OPS`: exp, log, log1p, softplus, tanh, sigmoid. */
export const SIMD_UNARY_NAMES = ['exp', 'log', 'log1p', 'softplus', 'tanh', 'sigmoid'] as const;

/**
 * `name(in, out, bytes)`: out = f(in) over bytes/4 floats (a multiple of 4), four lanes per iteration.
 * @returns the six functions, in {@link SIMD_UNARY_NAMES} order
 */
export function simdUnaryFunctions(): WasmFunction[] {
  return SIMD_UNARY_NAMES.map((name) => {
    const [src, dst, bytes, i, x, y] = [0, 1, 2, 3, 4, 5];
    const L = new Locals(6);
    const body = (BODIES[name] as Body)(x, y, L);
    return {
      name,
      params: [T.i32, T.i32, T.i32],
      locals: [T.i32, ...Array<number>(L.count - 4).fill(T.v128)],
      body: [
        ...i32c(0), ...set(i),
        OP.block, OP.void, OP.loop, OP.void,
        ...get(i), ...get(bytes), OP.i32GeU, OP.brIf, 1,
        ...get(src), ...get(i), OP.i32Add, ...S.load, ...set(x),
        ...body,
        ...get(dst), ...get(i), OP.i32Add, ...get(y), ...S.store,
        ...get(i), ...i32c(16), OP.i32Add, ...set(i), OP.br, 0,
        OP.end, OP.end,
      ],
    };
  });
}

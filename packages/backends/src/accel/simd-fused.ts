import { SOFTPLUS_SCALE } from '@vib/core';
import { BODIES, Locals, S, expInto, f4, get, i32c, set, type Body } from './simd-math.js';
import { OP, T, type WasmFunction } from './wasm-emit.js';

// The fused elementwise chains of the VIB and VAE steps as wasm SIMD (f32x4), numbered as FUSED_ELEMENTWISE:
// `name(a, b, c, out, bytes)` over bytes/4 floats (a multiple of 4), pointers in bytes; c is read by the
// reparameterization chains only.

type Code = number[];
/** y = chain(a, b, c) from locals a, b, c into local y, with scratch locals from L. */
type Chain = (a: number, b: number, c: number, y: number, L: Locals) => Code;

const exp = (x: number, L: Locals): { e: number; code: Code } => {
  const e = L.take();
  return { e, code: expInto(x, e, L) };
};
/** e^(x/2) of local x. */
const expHalf = (x: number, L: Locals): { e: number; code: Code } => {
  const h = L.take();
  const { e, code } = exp(h, L);
  return { e, code: [...get(x), ...f4(0.5), ...S.mul, ...set(h), ...code] };
};

const CHAINS: readonly { name: string; readsC: boolean; chain: Chain }[] = [
  { name: 'fusedStdNormalKL', readsC: false, chain: (a, b, _c, y, L) => {
    const { e, code } = exp(b, L);
    return [...code, ...get(e), ...get(a), ...get(a), ...S.mul, ...S.add, ...f4(1), ...S.sub, ...get(b), ...S.sub, ...f4(0.5), ...S.mul, ...set(y)];
  } },
  { name: 'fusedStdNormalKLGrad', readsC: false, chain: (a, b, _c, y, L) => {
    const { e, code } = exp(b, L);
    return [...code, ...get(e), ...f4(1), ...S.sub, ...get(a), ...S.mul, ...f4(0.5), ...S.mul, ...set(y)];
  } },
  { name: 'fusedReparameterize', readsC: true, chain: (a, b, c, y, L) => {
    const { e, code } = expHalf(b, L);
    return [...code, ...get(a), ...get(e), ...get(c), ...S.mul, ...S.add, ...set(y)];
  } },
  { name: 'fusedReparameterizeGrad', readsC: true, chain: (a, b, c, y, L) => {
    const { e, code } = expHalf(b, L);
    return [...code, ...get(a), ...get(c), ...S.mul, ...get(e), ...S.mul, ...f4(0.5), ...S.mul, ...set(y)];
  } },
  { name: 'fusedBernoulliNll', readsC: false, chain: (a, b, _c, y, L) => {
    const sp = L.take();
    return [...(BODIES['softplus'] as Body)(a, sp, L), ...get(sp), ...get(b), ...get(a), ...S.mul, ...S.sub, ...set(y)];
  } },
  { name: 'fusedBernoulliResidual', readsC: false, chain: (a, b, _c, y, L) => {
    const sg = L.take();
    return [...(BODIES['sigmoid'] as Body)(a, sg, L), ...get(sg), ...get(b), ...S.sub, ...set(y)];
  } },
  { name: 'fusedReluGrad', readsC: false, chain: (a, b, _c, y) => [
    // a · (b where b is NaN, else 1 where b > 0, else 0)
    ...get(a), ...get(b),
    ...f4(1), ...f4(0), ...get(b), ...f4(0), ...S.gt, ...S.bitselect, // step: 1 where b > 0, else 0
    ...get(b), ...get(b), ...S.ne, ...S.bitselect, // b itself where it is NaN
    ...S.mul, ...set(y),
  ] },
  // 2·log(softplus(a − 5) + 1e-6): log σ² of the softplus scale (@vib/core's SOFTPLUS_SCALE: shift 5, floor 1e-6)
  { name: 'fusedSoftplusLogVar', readsC: false, chain: (a, _b, _c, y, L) => {
    const [t, sp, u] = [L.take(), L.take(), L.take()];
    return [
      ...get(a), ...f4(SOFTPLUS_SCALE.shift), ...S.sub, ...set(t), ...(BODIES['softplus'] as Body)(t, sp, L),
      ...get(sp), ...f4(SOFTPLUS_SCALE.floor), ...S.add, ...set(u), ...(BODIES['log'] as Body)(u, y, L),
      ...get(y), ...f4(2), ...S.mul, ...set(y),
    ];
  } },
  // (2·a)/(softplus(b − 5) + 1e-6)·sigmoid(b − 5): its gradient, a = dy, b = raw, in the stock chain rule's order
  { name: 'fusedSoftplusLogVarGrad', readsC: false, chain: (a, b, _c, y, L) => {
    const [t, sp, sg] = [L.take(), L.take(), L.take()];
    return [
      ...get(b), ...f4(SOFTPLUS_SCALE.shift), ...S.sub, ...set(t), ...(BODIES['softplus'] as Body)(t, sp, L), ...(BODIES['sigmoid'] as Body)(t, sg, L),
      ...get(a), ...f4(2), ...S.mul, ...get(sp), ...f4(SOFTPLUS_SCALE.floor), ...S.add, ...S.div, ...get(sg), ...S.mul, ...set(y),
    ];
  } },
];

/** Names of the emitted chains, in FUSED_ELEMENTWISE order. */
export const SIMD_FUSED_NAMES = CHAINS.map((c) => c.name);

/**
 * The fused chains as wasm functions `name(a, b, c, out, bytes)`.
 * @returns the nine functions, in {@link SIMD_FUSED_NAMES} order
 */
export function simdFusedFunctions(): WasmFunction[] {
  return CHAINS.map(({ name, readsC, chain }) => {
    const [pa, pb, pc, out, bytes, i, a, b, c, y] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const L = new Locals(10);
    const body = chain(a, b, c, y, L);
    const at = (p: number): Code => [...get(p), ...get(i), OP.i32Add];
    return {
      name,
      params: [T.i32, T.i32, T.i32, T.i32, T.i32],
      locals: [T.i32, ...Array<number>(L.count - 6).fill(T.v128)],
      body: [
        ...i32c(0), ...set(i),
        OP.block, OP.void, OP.loop, OP.void,
        ...get(i), ...get(bytes), OP.i32GeU, OP.brIf, 1,
        ...at(pa), ...S.load, ...set(a),
        ...at(pb), ...S.load, ...set(b),
        ...(readsC ? [...at(pc), ...S.load, ...set(c)] : []),
        ...body,
        ...at(out), ...get(y), ...S.store,
        ...get(i), ...i32c(16), OP.i32Add, ...set(i), OP.br, 0,
        OP.end, OP.end,
      ],
    };
  });
}

/**
 * `ema(a, v, out, bytes, d, e)`: out = a·d + v·e over bytes/4 floats (a multiple of 4), each product rounded to
 * float32 before the sum, as tfjs's Mul and Add kernels do (wasm SIMD has no fused multiply-add).
 * @returns the function
 */
export function simdEmaFunction(): WasmFunction {
  const [pa, pv, out, bytes, d, e, i, vd, ve] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const at = (p: number): Code => [...get(p), ...get(i), OP.i32Add];
  const splat = [0xfd, 0x13]; // f32x4.splat
  return {
    name: 'ema',
    params: [T.i32, T.i32, T.i32, T.i32, T.f32, T.f32],
    locals: [T.i32, T.v128, T.v128],
    body: [
      ...get(d), ...splat, ...set(vd),
      ...get(e), ...splat, ...set(ve),
      ...i32c(0), ...set(i),
      OP.block, OP.void, OP.loop, OP.void,
      ...get(i), ...get(bytes), OP.i32GeU, OP.brIf, 1,
      ...at(out),
      ...at(pa), ...S.load, ...get(vd), ...S.mul,
      ...at(pv), ...S.load, ...get(ve), ...S.mul,
      ...S.add, ...S.store,
      ...get(i), ...i32c(16), OP.i32Add, ...set(i), OP.br, 0,
      OP.end, OP.end,
    ],
  };
}

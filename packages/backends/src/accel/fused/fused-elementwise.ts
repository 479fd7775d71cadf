import { SOFTPLUS_SCALE } from '@vib/core';

/**
 * The fused elementwise chains, numbered as `@vib/native-blas`'s `fused` and the pure tier's SIMD module number
 * them: out = op(a, b, c) elementwise.
 */
export const FUSED_ELEMENTWISE = {
  /** ½(e^b + a² − 1 − b): KL(N(a, e^b) ‖ N(0, 1)). */
  stdNormalKL: 0,
  /** ½·a·(e^b − 1): its log σ² gradient, a = dy. */
  stdNormalKLGrad: 1,
  /** a + e^(b/2)·c: the reparameterized sample, c = ε. */
  reparameterize: 2,
  /** ½·a·c·e^(b/2): its log σ² gradient, a = dy. */
  reparameterizeGrad: 3,
  /** softplus(a) − b·a: −log Bernoulli(b; σ(a)). */
  bernoulliNll: 4,
  /** σ(a) − b: its logits gradient before the upstream factor. */
  bernoulliResidual: 5,
  /** a·step(b): the gradient through a ReLU, a = dy, b = its output (1 where b > 0, 0 elsewhere, NaN where b is NaN). */
  reluGrad: 6,
  /** 2·log(softplus(a − 5) + 10⁻⁶): log σ² of the softplus scale (`@vib/core`'s `SOFTPLUS_SCALE`), a = raw. */
  softplusLogVar: 7,
  /** (2·a)/(softplus(b − 5) + 10⁻⁶)·σ(b − 5): its gradient, a = dy, b = raw. */
  softplusLogVarGrad: 8,
} as const;

/** out[i] = op(a[i], b[i], c[i]) over `n` floats at float offsets of the backend heap (`c` read by ops 2 and 3). */
export type ElementwiseKernel = (op: number, aOff: number, bOff: number, cOff: number, outOff: number, n: number) => void;

const { shift: SHIFT, floor: FLOOR } = SOFTPLUS_SCALE;
const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

/** The same chains in scalar JavaScript (float64), in op order: the SIMD module's tails and the fallback without SIMD. */
export const SCALAR_ELEMENTWISE: readonly ((a: number, b: number, c: number) => number)[] = [
  (a, b) => 0.5 * (Math.exp(b) + a * a - 1 - b),
  (a, b) => 0.5 * a * (Math.exp(b) - 1),
  (a, b, c) => a + Math.exp(0.5 * b) * c,
  (a, b, c) => 0.5 * a * c * Math.exp(0.5 * b),
  (a, b) => (Number.isNaN(a) ? a : softplus(a) - b * a),
  (a, b) => 1 / (1 + Math.exp(-a)) - b,
  (a, b) => a * (Number.isNaN(b) ? Number.NaN : b > 0 ? 1 : 0),
  (a) => 2 * Math.log(softplus(a - SHIFT) + FLOOR),
  (a, b) => ((2 * a) / (softplus(b - SHIFT) + FLOOR)) * (1 / (1 + Math.exp(SHIFT - b))),
];

/**
 * Scalar loops over a heap for ops the vectorized kernels leave out (a tail, or no SIMD at all).
 * @param heap - the backend's float heap
 * @param op - a {@link FUSED_ELEMENTWISE} number
 * @param from - first element
 * @param to - one past the last element
 * @param offs - float offsets of a, b, c and out
 */
export function scalarElementwise(heap: Float32Array, op: number, from: number, to: number, offs: readonly [number, number, number, number]): void {
  const f = SCALAR_ELEMENTWISE[op];
  if (!f) throw new Error(`unknown fused elementwise op ${op}: expected 0–${SCALAR_ELEMENTWISE.length - 1}`);
  const [a, b, c, o] = offs;
  for (let i = from; i < to; i++) heap[o + i] = f(heap[a + i] as number, heap[b + i] as number, heap[c + i] ?? 0);
}

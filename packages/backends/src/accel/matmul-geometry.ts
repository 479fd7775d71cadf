import type { TensorInfo } from '@tensorflow/tfjs';
import type { CheckCase, CheckInput, KernelArgs } from './kernel-types.js';

/** Sizes of a (batched) matmul op(A)·op(B). */
export interface MatMulGeometry {
  readonly batchA: number;
  readonly batchB: number;
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly outShape: number[];
}

const product = (xs: readonly number[]): number => xs.reduce((p, x) => p * x, 1);

/**
 * Sizes of op(A)·op(B) for tensors of rank ≥ 2, when batch dimensions are equal or one side has a single batch.
 * @param a - left input
 * @param b - right input
 * @param transposeA - whether op(A) = Aᵀ (last two axes)
 * @param transposeB - whether op(B) = Bᵀ
 * @returns the geometry, or null for shapes this module does not handle (other broadcasts, mismatched inner sizes)
 */
export function matMulGeometry(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): MatMulGeometry | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const [a0, a1] = [a.shape[ra - 2] as number, a.shape[ra - 1] as number];
  const [b0, b1] = [b.shape[rb - 2] as number, b.shape[rb - 1] as number];
  const m = transposeA ? a1 : a0;
  const k = transposeA ? a0 : a1;
  const kb = transposeB ? b1 : b0;
  const n = transposeB ? b0 : b1;
  if (k !== kb) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = product(outerA);
  const batchB = product(outerB);
  const same = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  if (!same && batchA !== 1 && batchB !== 1) return null;
  const outer = batchA === 1 && !same ? outerB : outerA.length >= outerB.length || batchB === 1 ? outerA : outerB;
  return { batchA, batchB, batch: Math.max(batchA, batchB), m, n, k, outShape: [...outer, m, n] };
}

/**
 * Attribute-variant key of a matmul call: transposes, ranks, single-batch sides, bias and activation.
 * @param args - the call
 * @returns the key
 */
export function matMulVariantKey(args: KernelArgs): string {
  const { a, b, bias, preluActivationWeights } = args.inputs;
  const at = args.attrs;
  // (one template, no arrays: every matmul call computes it)
  return `tA=${Boolean(at['transposeA'])} tB=${Boolean(at['transposeB'])} rank=${a?.shape.length}x${b?.shape.length} batch1=${singleBatch(a)}/${singleBatch(b)} bias=${bias ? bias.shape.length : 'none'} act=${String(at['activation'] ?? 'none')} prelu=${Boolean(preluActivationWeights)}`;
}

/** Whether a matmul operand is a single matrix (its dimensions before the last two multiply to 1), '?' without one. */
function singleBatch(t: TensorInfo | null | undefined): string {
  if (!t) return '?';
  let batch = 1;
  for (let i = 0; i < t.shape.length - 2; i++) batch *= t.shape[i] as number;
  return String(batch === 1);
}

/**
 * A small random case of the same variant: odd sizes (m=3, k=5, n=4 unless given), batch 2 where the call is batched.
 * @param args - the call
 * @param random - uniform [−1, 1) generator
 * @param dims - [m, k, n] of the case
 * @returns the case, or null when an input is not float32
 */
export function matMulCheckCase(args: KernelArgs, random: () => number, dims: readonly [number, number, number] = [3, 5, 4]): CheckCase | null {
  const { a, b, bias, preluActivationWeights } = args.inputs;
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const tA = Boolean(args.attrs['transposeA']);
  const tB = Boolean(args.attrs['transposeB']);
  const [m, k, n] = dims;
  const outer = (t: TensorInfo): number[] => t.shape.slice(0, -2).map((d) => (d === 1 ? 1 : 2));
  const make = (shape: number[]): CheckInput => {
    const values = new Float32Array(product(shape));
    for (let i = 0; i < values.length; i++) values[i] = random();
    return { shape, values };
  };
  const inputs: Record<string, CheckInput> = {
    a: make([...outer(a), ...(tA ? [k, m] : [m, k])]),
    b: make([...outer(b), ...(tB ? [n, k] : [k, n])]),
  };
  if (bias) inputs['bias'] = make(bias.shape.length === 0 ? [] : bias.shape.map((d, i, s) => (i === s.length - 1 && d !== 1 ? n : 1)));
  if (preluActivationWeights) inputs['preluActivationWeights'] = make([n]);
  return { inputs, attrs: args.attrs };
}

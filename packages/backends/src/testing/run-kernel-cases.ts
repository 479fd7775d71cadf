import * as tf from '@tensorflow/tfjs';
import type { KernelCase } from './kernel-cases.js';

/** A small seeded generator (LCG), so that both backends get the same inputs. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The inputs of a case as plain arrays (made once, uploaded to each backend). */
function inputsOf(c: KernelCase, seed: number): (Float32Array | Int32Array)[] {
  const r = lcg(seed);
  return c.inputs.map((spec) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const [lo, hi] = spec.range;
    if (spec.dtype === 'int32') return Int32Array.from({ length: n }, () => Math.floor(lo + (hi - lo) * r()));
    return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
  });
}

/**
 * Run every case on the active backend: its output and, for `grad` cases, the gradient of Σ w·f(x) with
 * respect to each float input (w fixed and seeded), read back asynchronously (webgpu in Node has no sync read).
 * @param cases - the cases
 * @returns per case, the output then the gradients, as arrays
 */
export async function runKernelCases(cases: readonly KernelCase[]): Promise<Float32Array[][]> {
  const out: Float32Array[][] = [];
  for (const [k, c] of cases.entries()) {
    const arrays = inputsOf(c, 1000 + k);
    const tensors = tf.tidy(() => {
      const xs = c.inputs.map((spec, i) => tf.tensor(arrays[i]!, [...spec.shape], spec.dtype ?? 'float32'));
      const y = c.f(xs);
      if (!c.grad) return [tf.cast(y, 'float32')];
      const w = tf.tensor(inputsOf({ ...c, inputs: [{ shape: y.shape, range: [-1, 1] }] }, 7)[0]!, y.shape);
      const floats = xs.filter((x) => x.dtype === 'float32');
      const grads = tf.grads((...a: tf.Tensor[]) => {
        let j = 0;
        return tf.sum(tf.mul(c.f(xs.map((x) => (x.dtype === 'float32' ? a[j++]! : x))), w));
      })(floats);
      return [y, ...grads];
    });
    out.push(await Promise.all(tensors.map(async (t) => Float32Array.from(await t.data()))));
    tf.dispose(tensors);
  }
  return out;
}

/**
 * Largest violation of |a − b| ≤ atol + rtol·|b| over two runs of {@link runKernelCases}.
 * @param got - results on the backend under test
 * @param want - results on the reference backend (cpu)
 * @param atol - absolute tolerance
 * @param rtol - relative tolerance
 * @returns per case: the worst ratio |a − b| / (atol + rtol·|b|) (≤ 1 passes), or Infinity for a length mismatch or NaN
 */
export function worstRatios(got: readonly Float32Array[][], want: readonly Float32Array[][], atol: number, rtol: number): number[] {
  return want.map((w, i) => {
    const g = got[i] ?? [];
    let worst = g.length === w.length ? 0 : Infinity;
    w.forEach((ref, j) => {
      const a = g[j];
      if (a === undefined || a.length !== ref.length) return void (worst = Infinity);
      for (let e = 0; e < ref.length; e++) {
        const d = Math.abs(a[e]! - ref[e]!);
        const ratio = Number.isNaN(d) ? Infinity : d / (atol + rtol * Math.abs(ref[e]!));
        if (ratio > worst) worst = ratio;
      }
    });
    return worst;
  });
}

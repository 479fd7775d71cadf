// Adam steps on seeded gradients, for comparing an Adam update with tfjs's own: in Node
// (plugins/webgpu/webgpu-adam.test.ts) and in Chromium (browser-kernels-entry.ts).
import * as tf from '@tensorflow/tfjs';
import { countWebGpuPrograms } from './count-programs.js';

/** Odd shapes (no workgroup of 128 divides them), one of them a single element. */
export const ADAM_SHAPES: number[][] = [[37, 13], [13], [5, 3, 2], [1]];
const STEPS = 4;

export interface AdamRun {
  /** Each variable's values, then each optimizer weight's (iterations, then m and v of each variable), by name. */
  readonly values: Map<string, Float32Array>;
  /** runWebGPUProgram calls of the last step (webgpu only). */
  readonly dispatches: number;
  /** The largest change of a parameter over the steps. */
  readonly moved: number;
}

/**
 * Four Adam steps (lr 0.05, so that the parameters move well past float32 rounding) on seeded gradients, on the
 * current backend with whatever Adam update is installed.
 * @param tag - a prefix for the variables' names (unique per call: tfjs refuses a variable name twice)
 * @returns the parameters and the optimizer's weights, the last step's runWebGPUProgram calls, how far it moved
 */
export async function adamSteps(tag: string): Promise<AdamRun> {
  const vars = ADAM_SHAPES.map((s, i) => tf.variable(tf.randomNormal(s, 0, 1, 'float32', 10 + i), true, `${tag}_w${i}`));
  const opt = tf.train.adam(0.05, 0.9, 0.999, 1e-7);
  let dispatches = 0;
  const initial = await Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
  try {
    for (let step = 0; step < STEPS; step++) {
      // seeds from 1: seed 0 means none
      const grads = vars.map((v, i) => ({ name: v.name, tensor: tf.randomNormal(v.shape, 0, 1 + step, 'float32', 1000 + 100 * step + i) }));
      dispatches = countWebGpuPrograms(() => opt.applyGradients(grads)).programs;
      tf.dispose(grads.map((g) => g.tensor));
    }
    const values = new Map<string, Float32Array>();
    for (const v of vars) values.set(v.name.replace(`${tag}_`, ''), (await v.data()) as Float32Array);
    for (const w of await opt.getWeights()) values.set(`opt:${w.name.replace(`${tag}_`, '')}`, (await w.tensor.data()) as Float32Array);
    let moved = 0;
    vars.forEach((v, i) => values.get(v.name.replace(`${tag}_`, ''))!.forEach((x, j) => (moved = Math.max(moved, Math.abs(x - initial[i]![j]!)))));
    return { values, dispatches, moved };
  } finally {
    opt.dispose();
    tf.dispose(vars);
  }
}

/**
 * The worst |a − b| / (atol + rtol·|b|) over every value of every name.
 * @param a - one run
 * @param b - the reference run
 * @param atol - absolute tolerance
 * @param rtol - tolerance relative to the reference's value
 * @returns the ratio (at most 1: within tolerance); Infinity where the runs hold different names or sizes
 */
export function worstAdam(a: AdamRun, b: AdamRun, atol: number, rtol: number): number {
  if ([...a.values.keys()].sort().join() !== [...b.values.keys()].sort().join()) return Infinity;
  let w = 0;
  for (const [name, xs] of a.values) {
    const ys = b.values.get(name) as Float32Array;
    if (ys.length !== xs.length) return Infinity;
    xs.forEach((x, i) => (w = Math.max(w, Math.abs(x - (ys[i] as number)) / (atol + rtol * Math.abs(ys[i] as number)))));
  }
  return w;
}

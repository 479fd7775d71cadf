// Runs on SwiftShader (a CPU Vulkan) through Dawn, in this test process, as webgpu-kernels.test.ts does.
process.env['VIB_WEBGPU_SWIFTSHADER'] = '1';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSwiftShader } from './swiftshader.js';
import { setWebGpuFusedAdam } from './webgpu-adam.js';
import { webgpuBackend } from './webgpu-backend.js';

/** Odd shapes (no workgroup of 128 divides them), one of them a single element. */
const SHAPES: number[][] = [[37, 13], [13], [5, 3, 2], [1]];
const STEPS = 4;

interface AdamRun {
  /** Each variable's values, then each optimizer weight's (iterations, then m and v of each variable), by name. */
  readonly values: Map<string, Float32Array>;
  /** runWebGPUProgram calls of the last step (webgpu only). */
  readonly dispatches: number;
  /** The largest change of a parameter over the steps. */
  readonly moved: number;
}

/** Four Adam steps (lr 0.05, so that the parameters move well past float32 rounding) on seeded gradients. */
async function adamSteps(tag: string): Promise<AdamRun> {
  const vars = SHAPES.map((s, i) => tf.variable(tf.randomNormal(s, 0, 1, 'float32', 10 + i), true, `${tag}_w${i}`));
  const opt = tf.train.adam(0.05, 0.9, 0.999, 1e-7);
  const be = tf.backend() as unknown as { runWebGPUProgram?: (...a: unknown[]) => unknown };
  const run = be.runWebGPUProgram;
  let dispatches = 0;
  const initial = await Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
  try {
    for (let step = 0; step < STEPS; step++) {
      // seeds from 1: seed 0 means none
      const grads = vars.map((v, i) => ({ name: v.name, tensor: tf.randomNormal(v.shape, 0, 1 + step, 'float32', 1000 + 100 * step + i) }));
      dispatches = 0;
      if (run) be.runWebGPUProgram = (...a: unknown[]) => (dispatches++, run.apply(be, a));
      opt.applyGradients(grads);
      if (run) be.runWebGPUProgram = run;
      tf.dispose(grads.map((g) => g.tensor));
    }
    const values = new Map<string, Float32Array>();
    for (const v of vars) values.set(v.name.replace(`${tag}_`, ''), (await v.data()) as Float32Array);
    for (const w of await opt.getWeights()) values.set(`opt:${w.name.replace(`${tag}_`, '')}`, (await w.tensor.data()) as Float32Array);
    let moved = 0;
    vars.forEach((v, i) => values.get(v.name.replace(`${tag}_`, ''))!.forEach((x, j) => (moved = Math.max(moved, Math.abs(x - initial[i]![j]!)))));
    return { values, dispatches, moved };
  } finally {
    if (run) be.runWebGPUProgram = run;
    opt.dispose();
    tf.dispose(vars);
  }
}

/** The worst |a − b| / (atol + rtol·|b|) over every value of every name; names must match. */
function worst(a: AdamRun, b: AdamRun, atol: number, rtol: number): number {
  expect([...a.values.keys()].sort()).toEqual([...b.values.keys()].sort());
  let w = 0;
  for (const [name, xs] of a.values) {
    const ys = b.values.get(name) as Float32Array;
    xs.forEach((x, i) => (w = Math.max(w, Math.abs(x - (ys[i] as number)) / (atol + rtol * Math.abs(ys[i] as number)))));
  }
  return w;
}

beforeAll(async () => {
  expect(await findSwiftShader(), 'SwiftShader not found in /usr/lib/chromium: install Debian\'s chromium (scripts/setup.sh does)').not.toBeNull();
  await webgpuBackend.setup({ requested: true });
  tf.env().set('WEBGPU_CPU_FORWARD', false);
});
afterAll(() => setWebGpuFusedAdam(true));

describe('the fused Adam update on webgpu', () => {
  it('gives tfjs\'s own Adam figures, on webgpu and on cpu, with 3 programs per variable instead of a dozen', async () => {
    setWebGpuFusedAdam(true);
    const fused = await adamSteps('fused');
    setWebGpuFusedAdam(false);
    const stock = await adamSteps('stock');
    setWebGpuFusedAdam(true);
    await tf.setBackend('cpu');
    const cpu = await adamSteps('cpu');
    await tf.setBackend('webgpu');
    // the same float32 operations in the same order: within a few units in the last place
    expect(worst(fused, stock, 1e-6, 1e-6)).toBeLessThanOrEqual(1);
    expect(worst(fused, cpu, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    // the parameters moved (about lr per step), so the comparisons above compare updates, not the initial values
    expect(fused.moved).toBeGreaterThan(0.1);
    // three programs per variable, and the two products of the accumulated β powers
    expect(fused.dispatches).toBe(3 * SHAPES.length + 2);
    expect(stock.dispatches).toBeGreaterThanOrEqual(10 * SHAPES.length);
  });

  it('leaves a step with a missing gradient to tfjs\'s own update', async () => {
    const a = tf.variable(tf.ones([3]), true, 'partial_a');
    const b = tf.variable(tf.ones([3]), true, 'partial_b');
    const opt = tf.train.adam(0.1);
    const grad = tf.fill([3], 2);
    opt.applyGradients([{ name: 'partial_a', tensor: grad }, { name: 'partial_b', tensor: null as unknown as tf.Tensor }]);
    grad.dispose();
    expect(Array.from(await a.data()).map((x) => x.toFixed(4))).toEqual(['0.9000', '0.9000', '0.9000']);
    expect(Array.from(await b.data())).toEqual([1, 1, 1]);
    opt.dispose();
    tf.dispose([a, b]);
  });
});

// Runs on SwiftShader (a CPU Vulkan) through Dawn, in this test process, as webgpu-kernels.test.ts does.
process.env['VIB_WEBGPU_SWIFTSHADER'] = '1';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSwiftShader } from './swiftshader.js';
import { ADAM_SHAPES, adamSteps, worstAdam } from '../../testing/adam-steps.js';
import { setWebGpuFusedAdam } from './webgpu-adam.js';
import { webgpuBackend } from './webgpu-backend.js';

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
    expect(worstAdam(fused, stock, 1e-6, 1e-6)).toBeLessThanOrEqual(1);
    expect(worstAdam(fused, cpu, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    // the parameters moved (about lr per step), so the comparisons above compare updates, not the initial values
    expect(fused.moved).toBeGreaterThan(0.1);
    // three programs per variable, and the two products of the accumulated β powers
    expect(fused.dispatches).toBe(3 * ADAM_SHAPES.length + 2);
    expect(stock.dispatches).toBeGreaterThanOrEqual(10 * ADAM_SHAPES.length);
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

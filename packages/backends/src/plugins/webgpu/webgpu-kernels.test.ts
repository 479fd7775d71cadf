// Runs on SwiftShader (a CPU Vulkan) through Dawn, in this test process: VIB_WEBGPU_SWIFTSHADER=1 makes the
// webgpu plugin load Chromium's Vulkan loader and SwiftShader driver (scripts/setup.sh installs chromium).
process.env['VIB_WEBGPU_SWIFTSHADER'] = '1';

import * as tf from '@tensorflow/tfjs';
import { createRegistry } from '@vib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerBackends } from '../../register.js';
import { selectBackend } from '../../selection/select-backend.js';
import { countWebGpuPrograms } from '../../testing/count-programs.js';
import { KERNEL_CASES, type KernelCase } from '../../testing/kernel-cases.js';
import { runKernelCases, worstRatios } from '../../testing/run-kernel-cases.js';
import { findSwiftShader } from './swiftshader.js';
import { webgpuBackend } from './webgpu-backend.js';
import { WEBGPU_FUSED_KERNELS } from './webgpu-fused.js';

beforeAll(async () => {
  expect(await findSwiftShader(), 'SwiftShader not found in /usr/lib/chromium: install Debian\'s chromium (scripts/setup.sh does)').not.toBeNull();
});

describe('webgpu plugin on a software adapter', () => {
  it('reports SwiftShader as software, never picks it automatically, and uses it when asked by name', async () => {
    const auto = await webgpuBackend.isAvailable();
    expect(auto.available).toBe(false);
    expect(auto.adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader', software: true, via: 'dawn' });
    expect(auto.reason).toMatch(/^software adapter google\/swiftshader .*never chosen automatically.*--backend webgpu uses it$/);
    const registry = createRegistry();
    registerBackends(registry);
    const picked = await selectBackend(registry, { tier: 'stock' });
    expect(picked.name).not.toBe('webgpu');
    expect(picked.skipped.find((s) => s.name === 'webgpu')?.reason).toMatch(/never chosen automatically/);
    const asked = await selectBackend(registry, { preferred: 'webgpu', strict: true });
    expect(asked).toMatchObject({ name: 'webgpu', tier: 'library', adapter: { software: true } });
    expect(asked.reason).toMatch(/asked for by name$/);
    expect(tf.getBackend()).toBe('webgpu');
  });
});

describe('kernels of the VIB and VAE steps on webgpu (SwiftShader) against cpu, odd shapes', () => {
  it('agree in value and gradient within |Δ| ≤ 1e-5 + 1e-4·|cpu|', async () => {
    await webgpuBackend.setup({ requested: true });
    // tfjs-webgpu runs small ops whose inputs are still on the host on its cpu kernels; turn that off so
    // every case runs a WebGPU shader
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    const gpu = await runKernelCases(KERNEL_CASES);
    await tf.setBackend('cpu');
    const cpu = await runKernelCases(KERNEL_CASES);
    // float32 with another summation order: matmul sums of 129 products of |x| < 1 differ by ~1e-6 relative
    const worst = worstRatios(gpu, cpu, 1e-5, 1e-4);
    const failing = KERNEL_CASES.map((c, i) => `${c.name}: ${worst[i]!.toFixed(3)}`).filter((_, i) => !(worst[i]! <= 1));
    expect(failing).toEqual([]);
  });
});

// 33 s on SwiftShader (70,000 workgroups of 64 lanes): left out of the suite CI runs; VIB_SLOW_TESTS=1 runs it
describe.runIf(process.env['VIB_SLOW_TESTS'] === '1')('webgpu row programs past the device\'s dispatch limit', () => {
  it('give cpu\'s loss and gradient on 70,000 rows (one workgroup a row: the dispatch folds into two dimensions)', async () => {
    await webgpuBackend.setup({ requested: true });
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    const limit = (tf.backend() as unknown as { device: { limits: { maxComputeWorkgroupsPerDimension: number } } }).device.limits.maxComputeWorkgroupsPerDimension;
    const rows = 70_000;
    expect(rows).toBeGreaterThan(limit);
    const { softmaxCrossEntropyRows } = await import('@vib/core');
    const wide: KernelCase[] = [{ name: 'VibSoftmaxCrossEntropy and its gradient, 70,000 rows', inputs: [{ shape: [rows, 3], range: [-5, 5] }, { shape: [rows, 3], range: [0, 1] }], f: ([x, t]) => softmaxCrossEntropyRows(x!, t!), grad: true }];
    const gpu = await runKernelCases(wide);
    await tf.setBackend('cpu');
    const cpu = await runKernelCases(wide);
    expect(worstRatios(gpu, cpu, 1e-5, 1e-4)[0]).toBeLessThanOrEqual(1);
  });
});

describe('@vib/core\'s fused kernels on webgpu', () => {
  it('are registered by the plugin\'s setup and run as one program each, where the stock composition runs 3 to 10', async () => {
    await webgpuBackend.setup({ requested: true });
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    expect(WEBGPU_FUSED_KERNELS.filter((k) => tf.getKernel(k, 'webgpu') === undefined)).toEqual([]);
    const programs = (f: () => tf.Tensor): number => {
      const { result, programs: n } = countWebGpuPrograms(f);
      tf.dispose(result);
      return n;
    };
    const [mu, lv, eps] = [tf.randomNormal([9, 7], 0, 1, 'float32', 1), tf.randomNormal([9, 7], 0, 1, 'float32', 2), tf.randomNormal([9, 7], 0, 1, 'float32', 3)];
    const { stdNormalKLPerDim, reparameterize, emaUpdate, softmaxCrossEntropyRows, bernoulliNllRows, fusedDense, softplusLogVar } = await import('@vib/core');
    expect(programs(() => stdNormalKLPerDim(mu, lv))).toBe(1);
    expect(programs(() => softplusLogVar(lv))).toBe(1); // five stock programs
    expect(programs(() => tf.tidy(() => tf.grad((r: tf.Tensor) => softplusLogVar(r))(lv)))).toBeLessThanOrEqual(3); // ones, the fused gradient
    expect(programs(() => reparameterize(mu, lv, eps))).toBe(1);
    expect(programs(() => emaUpdate(mu, lv, 0.9))).toBe(1);
    expect(programs(() => softmaxCrossEntropyRows(mu, tf.sigmoid(lv)))).toBe(2); // the sigmoid, then one
    expect(programs(() => bernoulliNllRows(mu, tf.sigmoid(lv)))).toBe(2);
    // a dense layer with its bias and ReLU: one fused product, where tfjs splits it into three under a tape
    const [x, w, b] = [tf.randomNormal([9, 13], 0, 1, 'float32', 4) as tf.Tensor2D, tf.randomNormal([13, 7], 0, 1, 'float32', 5) as tf.Tensor2D, tf.randomNormal([7], 0, 1, 'float32', 6) as tf.Tensor1D];
    type Dense = (a: tf.Tensor2D, k: tf.Tensor2D, c: tf.Tensor1D) => tf.Tensor;
    const taped = (f: Dense): number =>
      programs(() => tf.tidy(() => tf.concat(tf.grads((a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) => tf.sum(f(a as tf.Tensor2D, k as tf.Tensor2D, c as tf.Tensor1D)))([x, w, b]).map((g) => g.reshape([-1])))));
    expect(programs(() => fusedDense(x, w, b, 'relu'))).toBe(1);
    expect(taped((a, k, c) => fusedDense(a, k, c, 'relu'))).toBeLessThan(taped((a, k, c) => tf.relu(tf.add(tf.matMul(a, k), c))));
    tf.dispose([x, w, b]);
    // the gradients: μ·dy for μ (one Multiply) and the fused logVar gradient
    expect(programs(() => tf.tidy(() => tf.addN(tf.grads((m: tf.Tensor, l: tf.Tensor) => stdNormalKLPerDim(m, l))([mu, lv]))))).toBeLessThanOrEqual(4);
    tf.dispose([mu, lv, eps]);
  });
});

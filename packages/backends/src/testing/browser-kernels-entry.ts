// Page side of plugins/webgpu/webgpu-browser.test.ts: the webgpu plugin's browser path (navigator.gpu), then the
// kernel cases and Adam steps (the plugin's fused update) on webgpu and on cpu in the same page; the result goes to
// globalThis.__result for the test.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu'; // a bundled app registers the backend itself; the plugin then finds it
import { webgpuBackend } from '../plugins/webgpu/webgpu-backend.js';
import { adamSteps, worstAdam } from './adam-steps.js';
import { KERNEL_CASES } from './kernel-cases.js';
import { runKernelCases, worstRatios } from './run-kernel-cases.js';

const done = (result: unknown) => ((globalThis as Record<string, unknown>)['__result'] = result);

(async () => {
  try {
    const auto = await webgpuBackend.isAvailable();
    const setup = await webgpuBackend.setup({ requested: true });
    tf.env().set('WEBGPU_CPU_FORWARD', false); // every case on a WebGPU shader
    const gpu = await runKernelCases(KERNEL_CASES);
    const gpuAdam = await adamSteps('gpu');
    await tf.setBackend('cpu');
    const cpu = await runKernelCases(KERNEL_CASES);
    const cpuAdam = await adamSteps('cpu');
    const worst = worstRatios(gpu, cpu, 1e-5, 1e-4);
    const adam = { worst: worstAdam(gpuAdam, cpuAdam, 1e-6, 1e-5), dispatches: gpuAdam.dispatches, moved: gpuAdam.moved };
    done({ auto, setup, cases: KERNEL_CASES.map((c, i) => ({ name: c.name, worst: worst[i] })), adam });
  } catch (e) {
    done({ error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
})();

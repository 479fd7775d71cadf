import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBackend } from '../../plugins/wasm-backend.js';
import { uniformGenerator } from '../self-check.js';
import { stockOps } from './composition.js';
import { FUSED_KERNEL_SPECS, FUSED_TOLERANCE } from './install-fused.js';

/** Run a spec's unfused composition on one backend's own registered kernels and read the result back. */
function compose(backendName: 'cpu' | 'wasm', spec: (typeof FUSED_KERNEL_SPECS)[number], seed: number): Float32Array {
  const backend = tf.findBackend(backendName);
  if (!backend) throw new Error(`no ${backendName} backend`);
  const random = uniformGenerator(seed);
  const inputs = Object.fromEntries(Object.entries(spec.checkCase(random)).map(([name, c]): [string, TensorInfo] => [name, { dataId: backend.write(c.values, c.shape, 'float32'), shape: c.shape, dtype: 'float32' }]));
  const ops = stockOps(backend, backendName);
  const out = spec.composition(ops, inputs, spec.checkAttrs ?? {});
  ops.free(out);
  const values = Float32Array.from(backend.readSync(out.dataId) as Float32Array);
  backend.disposeData(out.dataId, true);
  for (const t of Object.values(inputs)) backend.disposeData(t.dataId, true);
  return values;
}

beforeAll(async () => {
  await wasmBackend.setup({ tier: 'stock' });
  await tf.ready();
});
afterAll(() => {
  tf.setBackend('wasm');
});

// The composition on the wasm backend's own kernels is both the fallback after a failed self-check and the
// self-check's reference where the cpu backend is not loaded (the web demo loads backends on demand). Kernels are
// called directly there, without the ops' attribute normalisation (tfjs-wasm's Softmax reads shape[dim], so a
// dim of -1 once gave it 0 channels and uninitialised output: NaN in the browser).
describe('fused kernel compositions on the wasm backend\'s own kernels', () => {
  it.each(FUSED_KERNEL_SPECS.map((s) => [s.kernelName, s] as const))('%s equals the same composition on cpu', (_, spec) => {
    const onWasm = compose('wasm', spec, 0x5eed);
    const onCpu = compose('cpu', spec, 0x5eed);
    expect(onWasm.length).toBe(onCpu.length);
    onCpu.forEach((want, i) => {
      const got = onWasm[i] as number;
      const ok = Number.isNaN(want) ? Number.isNaN(got) : Math.abs(got - want) <= FUSED_TOLERANCE.atol + FUSED_TOLERANCE.rtol * Math.abs(want);
      expect(ok, `${spec.kernelName}[${i}] = ${got} on wasm, ${want} on cpu`).toBe(true);
    });
  });
});

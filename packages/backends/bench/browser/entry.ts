// Browser side of bench/browser/run-browser-bench.ts: VIB train step on wasm, stock vs pure tier, alternating.
import * as tf from '@tensorflow/tfjs';
import { wasmBackend } from '../../src/plugins/wasm-backend.js';
import { installAcceleration } from '../../src/accel/install-acceleration.js';
import { vibStep } from '../models.js';

async function time(tier: 'stock' | 'pure'): Promise<number> {
  await installAcceleration({ tier });
  const step = vibStep(100);
  step.run();
  const ms: number[] = [];
  const start = performance.now();
  while (ms.length < 2 || (ms.length < 10 && performance.now() - start < 1500)) {
    const t = performance.now();
    step.run();
    ms.push(performance.now() - t);
  }
  step.dispose();
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)] as number;
}

(async () => {
  try {
    const r = await wasmBackend.setup({ tier: 'pure', wasmPaths: '/wasm/' });
    const rounds: { stock: number; pure: number }[] = [];
    for (let i = 0; i < 3; i++) rounds.push({ stock: await time('stock'), pure: await time('pure') });
    (globalThis as Record<string, unknown>)['__result'] = { setup: r, rounds, numTensors: tf.memory().numTensors, userAgent: navigator.userAgent };
  } catch (e) {
    (globalThis as Record<string, unknown>)['__result'] = { error: String(e instanceof Error ? e.stack : e) };
  }
})();

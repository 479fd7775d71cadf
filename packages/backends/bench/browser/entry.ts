// Browser side of bench/browser/run-browser-bench.ts: VIB train step on wasm, stock vs pure tier, alternating;
// then the same step on webgl (SwiftShader when headless without a GPU) for comparison.
import * as tf from '@tensorflow/tfjs';
import { wasmBackend } from '../../src/plugins/wasm-backend.js';
import { vibStep } from '../models.js';

/**
 * Warm up (`warm` steps), then time steps (at least 3, at most `max`, within `budgetMs`); the median ms and the count.
 */
function medianStep(max: number, budgetMs: number, warm = 2): { ms: number; steps: number } {
  const step = vibStep(100);
  for (let i = 0; i < warm; i++) step.run(); // warm-up (self-checks, packing, the helpers' first calls, shaders on webgl)
  const ms: number[] = [];
  const start = performance.now();
  while (ms.length < 3 || (ms.length < max && performance.now() - start < budgetMs)) {
    const t = performance.now();
    step.run();
    ms.push(performance.now() - t);
  }
  step.dispose();
  return { ms: ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)] as number, steps: ms.length };
}

/** Alternating rounds of stock and pure (odd, for a median ratio). */
const ROUNDS = 9;

/**
 * Median ms/step of one tier. The page is cross-origin isolated: stock is tfjs as shipped (its threaded build,
 * its pool of half the cores); pure is @vib/backends' start of that build with a pool of every core.
 */
async function time(tier: 'stock' | 'pure'): Promise<number> {
  await wasmBackend.setup({ tier, wasmPaths: '/wasm/', threads: navigator.hardwareConcurrency });
  // a stock step takes ~0.8 s: 2 warm-ups and 3 steps; a pure one ~25 ms: 5 warm-ups and up to 60 steps (a median of
  // 10 moved a round's ratio by up to 40 % on a busy host)
  return tier === 'stock' ? medianStep(10, 1500).ms : medianStep(60, 1500, 5).ms;
}

/** Median ms/step of the step on the webgl backend, with its renderer; null when webgl cannot start. */
async function timeWebgl(): Promise<{ ms: number; steps: number; renderer: string } | { error: string }> {
  try {
    if (!(await tf.setBackend('webgl'))) return { error: 'tf.setBackend("webgl") returned false' };
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    const renderer = gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
    return { ...medianStep(6, 20_000), renderer };
  } catch (e) {
    return { error: String(e instanceof Error ? e.message : e) };
  } finally {
    await tf.setBackend('wasm');
  }
}

(async () => {
  try {
    const r = await wasmBackend.setup({ tier: 'pure', wasmPaths: '/wasm/', threads: navigator.hardwareConcurrency });
    const rounds: { stock: number; pure: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(i % 2 === 0 ? { stock: await time('stock'), pure: await time('pure') } : { pure: await time('pure'), stock: await time('stock') });
    const ratios = rounds.map((x) => x.stock / x.pure).sort((a, b) => a - b);
    const pureVsStock = `${(ratios[ROUNDS >> 1] as number).toFixed(1)}× stock wasm [${(ratios[0] as number).toFixed(1)}–${(ratios[ROUNDS - 1] as number).toFixed(1)}] (median of ${ROUNDS} per-round ratios)`;
    const stockThreads = (await wasmBackend.setup({ tier: 'stock', wasmPaths: '/wasm/', threads: navigator.hardwareConcurrency })).threads;
    const webgl = await timeWebgl();
    (globalThis as Record<string, unknown>)['__result'] = { setup: r, isolated: globalThis.crossOriginIsolated === true, stockThreads, rounds, pureVsStock, webgl, numTensors: tf.memory().numTensors, userAgent: navigator.userAgent };
  } catch (e) {
    (globalThis as Record<string, unknown>)['__result'] = { error: String(e instanceof Error ? e.stack : e) };
  }
})();

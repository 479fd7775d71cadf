import * as tf from '@tensorflow/tfjs';
import { float32Gradients, momentSlot, type AdamFields, type Apply, type Grads } from './adam-fields.js';
import type { AdamUpdate, AdamUpdateSource } from './adam-update.js';
import { ensureExclusive } from './exclusive-buffer.js';
import { firstUseCheck } from './first-use.js';
import { wroteInPlace } from './pure-matmul.js';
import { uniformGenerator } from './self-check.js';
import { canForgetPackedCopies, heapOffset, wasmInternals, type WasmBackendInternals } from './wasm-internals.js';


/** Self-check tolerance of the fused Adam update vs tfjs's kernels: float32 rounding of ~10 ops. */
export const ADAM_TOLERANCE = { atol: 1e-6, rtol: 1e-5 } as const;

/** Compare `update` with tfjs's own Adam arithmetic on a small random case (n = 37, t = 3). */
function checkAdam(be: WasmBackendInternals, update: AdamUpdate): string | null {
  const r = uniformGenerator(0xada);
  const arr = (f: () => number): Float32Array => Float32Array.from({ length: 37 }, f);
  const [p0, g0, m0] = [arr(r), arr(r), arr(r)];
  const v0 = arr(() => Math.abs(r()));
  const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-7];
  const [c1, c2] = [1 / (1 - b1 ** 3), 1 / (1 - b2 ** 3)];
  const want = tf.tidy(() => {
    const m = tf.tensor1d(m0).mul(b1).add(tf.tensor1d(g0).mul(1 - b1));
    const v = tf.tensor1d(v0).mul(b2).add(tf.tensor1d(g0).square().mul(1 - b2));
    const p = tf.tensor1d(p0).add(m.mul(c1).div(v.mul(c2).sqrt().add(eps)).mul(-lr));
    return [p.dataSync(), m.dataSync(), v.dataSync()] as const;
  });
  const ts = [p0, g0, m0, v0].map((a) => tf.tensor1d(a));
  try {
    const [p, g, m, v] = ts.map((t) => heapOffset(be, t)) as [number, number, number, number];
    update(be.wasm.HEAPF32, 37, p, g, m, v, p, lr, b1, b2, eps, c1, c2);
    const got = [ts[0], ts[2], ts[3]].map((t) => (t as tf.Tensor).dataSync());
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 37; i++) {
        const [a, b] = [got[j]?.[i] ?? NaN, want[j]?.[i] ?? NaN];
        if (!(Math.abs(a - b) <= ADAM_TOLERANCE.atol + ADAM_TOLERANCE.rtol * Math.abs(b))) {
          return `${['p', 'm', 'v'][j]}[${i}] = ${a}, stock ${b}`;
        }
      }
    }
    return null;
  } finally {
    for (const t of ts) t.dispose();
  }
}

let original: Apply | undefined;

/**
 * Replace tf.AdamOptimizer's update (for all Adam optimizers, so model code does not change) with one fused
 * pass per variable over the wasm heap. Other backends, non-float32 variables and a failed first-use
 * self-check go to the stock update (the failure warns once).
 * @param source - the fused update (native), or a chooser per backend (pure: SIMD module, else JS loop)
 * @param label - tier label for the warning
 * @param warn - warning sink
 */
export function installFusedAdam(source: AdamUpdateSource, label: string, warn: (message: string) => void): void {
  uninstallFusedAdam();
  const updateFor = (be: WasmBackendInternals): AdamUpdate => (typeof source === 'function' ? source : source.forBackend(be));
  const stock = tf.AdamOptimizer.prototype.applyGradients as Apply;
  original = stock;
  const checked = firstUseCheck(checkAdam, (problem) => warn(`@vib/backends: the ${label} fused Adam update disagrees with the stock one (${problem}); using the stock update.`));
  const fused: Apply = function (this: tf.AdamOptimizer, grads: Grads) {
    const be = tf.getBackend() !== 'wasm' ? null : wasmInternals(tf.backend());
    const list = be ? float32Gradients(grads) : null;
    if (!be || !list) {
      stock.call(this, grads);
      return;
    }
    const update = updateFor(be);
    if (!checked(be, update)) {
      stock.call(this, grads);
      return;
    }
    const o = this as unknown as AdamFields;
    // In place where tfjs-wasm can be told to drop what it packed from a weight (XNNPACK keeps packed matmul
    // weights by tensor id: written in place unannounced, they would be multiplied stale); else into a new buffer.
    const inPlace = canForgetPackedCopies(be);
    const work: [tf.Variable, tf.Tensor, tf.Variable, tf.Variable, tf.TensorInfo][] = [];
    list.forEach(({ name, tensor }, i) => {
      const value = tf.engine().registeredVariables[name] as tf.Variable;
      const m = momentSlot(o.accumulatedFirstMoment, i, name, 'm');
      const v = momentSlot(o.accumulatedSecondMoment, i, name, 'v');
      for (const x of inPlace ? [value, m, v] : [m, v]) ensureExclusive(be, x);
      work.push([value, tensor, m, v, inPlace ? value : be.makeOutput(value.shape, 'float32')]);
    });
    for (const x of [o.accBeta1, o.accBeta2]) ensureExclusive(be, x);
    const heap = be.wasm.HEAPF32; // after every allocation above
    const [a1, a2] = [heapOffset(be, o.accBeta1), heapOffset(be, o.accBeta2)];
    const [acc1, acc2] = [heap[a1] as number, heap[a2] as number];
    // Last variables first: the first layers' new weights, which the next forward pass reads first, are the last
    // written and so still in cache (the step's matmuls measured 2-5 % faster, in two in-process A/B runs).
    for (const [value, g, m, v, out] of [...work].reverse()) {
      update(heap, value.size, heapOffset(be, value), heapOffset(be, g), heapOffset(be, m), heapOffset(be, v), heapOffset(be, out),
        o.learningRate, o.beta1, o.beta2, o.epsilon, 1 / (1 - acc1), 1 / (1 - acc2));
    }
    heap[a1] = acc1 * o.beta1;
    heap[a2] = acc2 * o.beta2;
    for (const [value, , , , out] of work) {
      if (out === value) {
        wroteInPlace(be, value);
        continue;
      }
      const t = tf.engine().makeTensorFromTensorInfo(out);
      value.assign(t);
      t.dispose();
    }
    o.incrementIterations();
  };
  tf.AdamOptimizer.prototype.applyGradients = fused as never;
}

/** Restore tfjs's own Adam update. */
export function uninstallFusedAdam(): void {
  if (original) tf.AdamOptimizer.prototype.applyGradients = original as never;
  original = undefined;
}

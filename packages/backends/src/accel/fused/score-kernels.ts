import { FUSED_KERNELS } from '@vib/core';
import type { TensorInfo } from '@tensorflow/tfjs';
import { heapOffset } from '../wasm-internals.js';
import type { FusedKernelSpec } from './fused-kernel-spec.js';

/**
 * A classification batch's score sums, [−Σ_b logLik[b, y_b], rows whose first largest entry is at y_b], as one pass
 * over the heap with exactly the numbers of the stock kernels on wasm: each label cast to int32 as `Cast` does on the
 * cpu backend (truncated, NaN to 0), each row's products with its one-hot row added in float32 from the first class
 * on (x·1 = x, x·0 = ±0, and NaN where x is infinite or NaN, as `Multiply` gives them), the rows' sums added in
 * float32 from the first row on, as tfjs-wasm's `Sum` adds, and the first of equal maxima taken, as its `ArgMax`
 * takes it (a NaN first entry wins; a later NaN is passed over). About fourteen kernel calls became one.
 */
export const classificationScoresKernel: FusedKernelSpec = {
  kernelName: FUSED_KERNELS.classificationScores,
  inputNames: ['logLik', 'labels'],
  fast(ctx, inputs) {
    const like = inputs['logLik'] as TensorInfo;
    const [b, c] = [like.shape[0] ?? 0, like.shape[1] ?? 0];
    const out = ctx.be.makeOutput([2], 'float32');
    const [x, y, o] = [ctx.offset('logLik'), ctx.offset('labels'), heapOffset(ctx.be, out)];
    const heap = ctx.be.wasm.HEAPF32;
    let total = 0;
    let correct = 0;
    for (let i = 0; i < b; i++) {
      const label = (heap[y + i] as number) | 0;
      const row = x + i * c;
      let picked = 0;
      let best = heap[row] as number;
      let at = 0;
      for (let j = 0; j < c; j++) {
        const v = heap[row + j] as number;
        picked = Math.fround(picked + (j === label ? v : v * 0));
        if (v > best) (best = v), (at = j);
      }
      total = Math.fround(total + picked);
      if (at === label) correct++;
    }
    heap[o] = -total;
    heap[o + 1] = correct;
    return out;
  },
  composition(ops, { logLik, labels }) {
    const x = logLik as TensorInfo;
    const index = ops.run('Cast', { x: labels as TensorInfo }, { dtype: 'int32' });
    // int32 ones and zeros, then cast, as tf.oneHot and tf.mul's promotion give them (tfjs-wasm's OneHot writes int32
    // whatever dtype it is asked for)
    const oneHot = ops.run('Cast', { x: ops.run('OneHot', { indices: index }, { depth: x.shape[1] ?? 0, onValue: 1, offValue: 0, dtype: 'int32' }) }, { dtype: 'float32' });
    const picked = ops.run('Sum', { x: ops.run('Multiply', { a: x, b: oneHot }) }, { axis: [1], keepDims: false });
    const nll = ops.run('Neg', { x: ops.run('Sum', { x: picked }, { axis: [0], keepDims: false }) });
    const hits = ops.run('Cast', { x: ops.run('Equal', { a: ops.run('ArgMax', { x }, { axis: [1] }), b: index }) }, { dtype: 'float32' });
    const correct = ops.run('Sum', { x: hits }, { axis: [0], keepDims: false });
    return ops.run('Pack', [nll, correct] as unknown as Record<string, TensorInfo>, { axis: 0 });
  },
  checkCase(random) {
    // 7 rows of 5 classes: rows 1, 3 and 4 tie at their largest entry (labels at the later tie in rows 1 and 3, at
    // the first in row 4, so that counting the last of equal maxima and counting no tie both change the count), row
    // 5's label is past the last class, row 6's is −1
    const [b, c] = [7, 5];
    const logLik = Float32Array.from({ length: b * c }, () => -3 + 3 * random());
    logLik[1 * c + 1] = logLik[1 * c + 3] = 0.5;
    logLik[3 * c + 2] = logLik[3 * c + 4] = 0.75;
    logLik[4 * c] = logLik[4 * c + 2] = 0.25;
    const labels = Float32Array.of(2, 3, 0, 4, 0, c, -1);
    return { logLik: { shape: [b, c], values: logLik }, labels: { shape: [b], values: labels } };
  },
};

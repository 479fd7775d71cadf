import type { NativeBlas } from '../src/accel/native-blas-module.js';

/**
 * Time the matmuls of one training step (forward, dX except the first layer, dW) with the addon's sgemm on
 * plain arrays: the "sgemm floor" of the step (elementwise work and Adam excluded).
 *
 * Hot (the default): every layer's operands share one buffer, so the weights stay in cache from call to call,
 * the best case, and each timed repetition follows an untimed one. Cold: each layer has its own weight, input,
 * output and gradient buffers, as a model has, and before each timed repetition a 64 MiB pass (what Adam and the EMA
 * stream through over the VIB model's 2.4M parameters each step) pushes them out of the caches, as a real step finds
 * them.
 * @param blas - the native addon
 * @param layers - dense layer sizes [in, out]
 * @param batch - batch size
 * @param train - include the backward matmuls
 * @param cold - per-layer buffers, caches flushed before each repetition
 * @returns median ms over 7 repetitions
 */
export function sgemmFloorMs(blas: NativeBlas, layers: readonly (readonly [number, number])[], batch: number, train: boolean, cold = false): number {
  const sizes = layers.map(([i, o]) => 2 * i * o + batch * i + batch * o);
  const big = Math.max(...sizes);
  const heap = new Float32Array(cold ? sizes.reduce((a, b) => a + b, 0) : big * 2).map(() => Math.random() - 0.5);
  const bases = cold ? sizes.map((_, li) => sizes.slice(0, li).reduce((a, b) => a + b, 0)) : sizes.map(() => 0);
  const flush = cold ? new Float32Array(16 << 20) : null;
  const once = (): void => {
    layers.forEach(([i, o], li) => {
      const base = bases[li] as number;
      const [w, x, y, dw] = [base, base + i * o, base + i * o + batch * i, cold ? base + i * o + batch * i + batch * o : big];
      blas.sgemm(heap, false, false, batch, o, i, 1, x, i, w, o, 0, y, o); // Y = X·W
      if (!train) return;
      if (li > 0) blas.sgemm(heap, false, true, batch, i, o, 1, y, o, w, o, 0, x, i); // dX = dY·Wᵀ
      blas.sgemm(heap, true, false, i, o, batch, 1, x, i, y, o, 0, dw, o); // dW = Xᵀ·dY
    });
  };
  // Every repetition starts from the same random operands: the products write into buffers that later ones read,
  // and within a few repetitions the values overflowed to inf and NaN, which a real step's never do.
  const pristine = heap.slice();
  once();
  const ms: number[] = [];
  for (let r = 0; r < 7; r++) {
    heap.set(pristine);
    if (flush) {
      for (let k = 0; k < flush.length; k += 16) flush[k] = (flush[k] as number) + 1;
    } else {
      // hot: once more untimed, so that the operands are in cache and the addon's threads awake, as from one step
      // to the next (the copy of the operands above took longer than the threads wait before they sleep, and at
      // batch 1, where the products take 0.1 ms, waking them was most of the time measured)
      once();
    }
    const t = performance.now();
    once();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[3] as number;
}

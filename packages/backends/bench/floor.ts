import type { NativeBlas } from '../src/accel/native-blas-module.js';

/**
 * Time the matmuls of one training step (forward, dX except the first layer, dW) with OpenBLAS sgemm on
 * plain arrays: the "sgemm floor" of the step (elementwise work and Adam excluded).
 * @param blas - the native addon
 * @param layers - dense layer sizes [in, out]
 * @param batch - batch size
 * @param train - include the backward matmuls
 * @returns median ms over 7 repetitions
 */
export function sgemmFloorMs(blas: NativeBlas, layers: readonly (readonly [number, number])[], batch: number, train: boolean): number {
  const big = Math.max(...layers.map(([i, o]) => i * o + batch * i + batch * o));
  const heap = new Float32Array(big * 2).map(() => Math.random() - 0.5);
  const once = (): void => {
    layers.forEach(([i, o], li) => {
      const [w, x, y] = [0, i * o, i * o + batch * i];
      blas.sgemm(heap, false, false, batch, o, i, 1, x, i, w, o, 0, y, o); // Y = X·W
      if (!train) return;
      if (li > 0) blas.sgemm(heap, false, true, batch, i, o, 1, y, o, w, o, 0, x, i); // dX = dY·Wᵀ
      blas.sgemm(heap, true, false, i, o, batch, 1, x, i, y, o, 0, big, o); // dW = Xᵀ·dY
    });
  };
  once();
  const ms: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    once();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[3] as number;
}

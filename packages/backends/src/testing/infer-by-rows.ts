import * as tf from '@tensorflow/tfjs';
import { simdKernels } from '../accel/simd-kernels.js';
import { wasmInternals } from '../accel/wasm-internals.js';

/**
 * The VIB inference's pattern, smaller, for the threads tests: x dense (70 × 132), two ReLU layers of 264 (the second
 * reads the first's list of nonzeros), a linear head of 96; five calls with the same weights, so that the pure tier's
 * kept packings are filled and checked and the later calls run by rows. m = 70 splits into rows 0–34 and 35–69 (not
 * whole blocks of 4), and n = 264 leaves a group of panels over. With `denseHidden`, the second layer's bias is 1, so
 * that its output is nonzero nearly everywhere and the head multiplies densely from that listed output: each part of
 * the rows then packs its blocks of A (with 3 parts, rows 0–22, 23–45 and 46–69: the last part's blocks reach row 69).
 * @param denseHidden - the second layer's output nearly all nonzero
 * @param m - the batch (70 by default)
 * @returns each call's output, and how many products ran by rows
 */
export function inferByRows(denseHidden = false, m = 70): { outs: Float32Array[]; rows: number } {
  const [k, h, n] = [132, 264, 96];
  const dims = [[k, h], [h, h], [h, n]] as const;
  const ws = dims.map(([r, c], l) => tf.tensor2d(Float32Array.from({ length: r * c }, (_, i) => Math.cos(5 * i + l) / 8), [r, c]));
  const bs = dims.map(([, c], l) => tf.tensor1d(Float32Array.from({ length: c }, (_, j) => (denseHidden && l === 1 ? 1 : Math.sin(j + l) / 4))));
  const x = tf.tensor2d(Float32Array.from({ length: m * k }, (_, i) => Math.sin(3 * i + 1)), [m, k]);
  const be = wasmInternals(tf.backend());
  const kernels = be && simdKernels(be);
  let rows = 0;
  const byRows = kernels?.rows;
  if (kernels && byRows) kernels.rows = (o) => (rows++, byRows(o));
  try {
    const layer = (a: tf.Tensor2D, l: number, relu: boolean): tf.Tensor2D =>
      tf.fused.matMul({ a, b: ws[l] as tf.Tensor2D, bias: bs[l] as tf.Tensor1D, activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D;
    const outs = Array.from({ length: 5 }, () => tf.tidy(() => layer(layer(layer(x, 0, true), 1, true), 2, false).dataSync() as Float32Array));
    return { outs, rows };
  } finally {
    if (kernels && byRows) kernels.rows = byRows;
    tf.dispose([...ws, ...bs, x]);
  }
}

import * as tf from '@tensorflow/tfjs';
import { InfiniteKLError } from '../../errors/infinite-kl-error.js';

/**
 * Check that box p = [lowP, highP] lies inside box q = [lowQ, highQ] in every row and dimension.
 * Reads the bounds back with `dataSync` (a device sync): the answer depends on the values. Skipped on webgpu,
 * which has no synchronous read in Node: an infinite KL then surfaces as a non-finite loss, which training reports.
 * @param pName - type name of p
 * @param qName - type name of q
 * @param lowP - p's lower bounds, broadcastable to [B,K]
 * @param highP - p's upper bounds
 * @param lowQ - q's lower bounds
 * @param highQ - q's upper bounds
 * @param shape - [B,K]
 * @throws {@link InfiniteKLError} naming the first offending row and dimension, with both boxes
 */
export function expectBoxInside(
  pName: string,
  qName: string,
  lowP: tf.Tensor,
  highP: tf.Tensor,
  lowQ: tf.Tensor,
  highQ: tf.Tensor,
  shape: [number, number],
): void {
  if (tf.getBackend() === 'webgpu') return;
  const read = (t: tf.Tensor): Float32Array | Int32Array | Uint8Array =>
    tf.tidy(() => tf.broadcastTo(t, shape).dataSync());
  const [lp, hp, lq, hq] = [read(lowP), read(highP), read(lowQ), read(highQ)];
  const k = shape[1];
  for (let i = 0; i < lp.length; i++) {
    const [a, b, c, d] = [lp[i] ?? NaN, hp[i] ?? NaN, lq[i] ?? NaN, hq[i] ?? NaN];
    if (!(a >= c && b <= d)) {
      const row = Math.floor(i / k);
      const dim = i % k;
      throw new InfiniteKLError(
        `KL(${pName} ‖ ${qName}) is infinite: in row ${row}, dimension ${dim}, p's support [${a}, ${b}] is not inside ` +
          `q's box [${c}, ${d}]; widen the ${qName} box or narrow p to lie inside it`,
        { details: { p: pName, q: qName, row, dimension: dim, pBox: [a, b], qBox: [c, d] } },
      );
    }
  }
}

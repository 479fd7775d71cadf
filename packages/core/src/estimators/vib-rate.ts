import * as tf from '@tensorflow/tfjs';
import { DataError } from '../errors/data-error.js';
import { ShapeError } from '../errors/shape-error.js';
import { information, type Information } from '../units/units.js';

/**
 * The VIB rate as a differentiable scalar: the batch mean of KL(p(z|x) ‖ r(z)) in nats.
 *
 * For any r(z), E_x KL(p(z|x) ‖ r(z)) = I(X;Z) + KL(p(z) ‖ r(z)) ≥ I(X;Z), so the rate is an
 * upper bound on I(X;Z) (Alemi et al. 2017, "Deep Variational Information Bottleneck"; seed 003).
 *
 * @param klPerExample - KL of each example in nats, shape [B] (or any shape: all entries are averaged)
 * @returns scalar mean in nats, with gradients flowing to `klPerExample`
 * @throws {@link ShapeError} when the tensor is empty
 * @example
 * ```ts
 * const rateNats = vibRateNats(tf.tensor1d([0.5, 1.5])); // 1
 * ```
 */
export function vibRateNats(klPerExample: tf.Tensor): tf.Scalar {
  if (klPerExample.size === 0) {
    throw new ShapeError(`vibRate needs at least one KL value, got shape [${klPerExample.shape.join(', ')}]`);
  }
  return tf.mean(klPerExample) as tf.Scalar;
}

/**
 * The VIB rate, an upper bound on I(X;Z), read out in nats and bits (Alemi et al. 2017).
 *
 * @param klPerExample - KL(p(z|x_i) ‖ r(z)) of each example in nats: a tensor (read synchronously) or numbers
 * @returns the batch-mean KL as `{ nats, bits }`
 * @throws {@link ShapeError} when there are no values
 * @throws {@link DataError} when a KL is negative (beyond float rounding) or not finite
 * @example
 * ```ts
 * vibRate([Math.LN2, Math.LN2]).bits; // 1
 * ```
 */
export function vibRate(klPerExample: tf.Tensor | ArrayLike<number>): Information {
  const values = klPerExample instanceof tf.Tensor ? klPerExample.dataSync() : klPerExample;
  if (values.length === 0) throw new ShapeError('vibRate needs at least one KL value, got none');
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || v < -1e-6) {
      throw new DataError(`KL of example ${i} is ${v}: a KL must be finite and ≥ 0; check the encoder outputs`, {
        details: { index: i, value: v },
      });
    }
    sum += v;
  }
  return information(sum / values.length);
}

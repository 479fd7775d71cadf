import * as tf from '@tensorflow/tfjs';
import type { Uniform } from '../../distributions/uniform.js';
import type { KLRuleResult } from '../kl-types.js';
import { expectBoxInside } from './box-check.js';

/**
 * KL between uniform boxes: Σ_k log(width_q,k / width_p,k) when p's box lies inside q's,
 * +∞ otherwise. The containment check reads the bounds with `dataSync`.
 * @param p - the first box
 * @param q - the second box
 * @returns total [B] and perDim [B,K] in nats
 * @throws {@link InfiniteKLError} naming the row and dimension where p's box leaves q's
 */
export function klUniformUniform(p: Uniform, q: Uniform): KLRuleResult {
  const shape: [number, number] = [Math.max(p.batchSize, q.batchSize), p.eventSize];
  expectBoxInside(p.typeName, q.typeName, p.low, p.high, q.low, q.high, shape);
  const perDim = tf.broadcastTo(tf.sub(tf.log(tf.sub(q.high, q.low)), tf.log(tf.sub(p.high, p.low))), shape);
  return { total: tf.sum(perDim, -1), perDim };
}

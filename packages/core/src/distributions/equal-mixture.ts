import * as tf from '@tensorflow/tfjs';
import type { Distribution } from './distribution.js';
import { expectEvent, expectSampleCount } from './shapes.js';
import { tfSeed } from '../random/tf-seed.js';
import { ShapeError } from '../errors/shape-error.js';

/**
 * An equally weighted mixture r(z) = (1/M) Σ_m c_m(z) whose M components are the rows of one
 * batched distribution (batch size 1 as a whole, so it broadcasts over a batch like any prior).
 * The VampPrior of Tomczak & Welling (2018) is one: its components are the encoder's posteriors
 * q(z|u_m) of M pseudo-inputs.
 *
 * `logProb` is the log-mean-exp of the components' own `logProb`, so with M = 1 it is that
 * component's log density bit for bit (KL(c ‖ r) is then exactly 0). Sampling picks a component
 * uniformly (no gradient through the choice) and draws a reparameterized sample inside it.
 * No closed-form entropy; KL against it is estimated by Monte Carlo.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { DiagonalGaussian, EqualMixture } from '@vib/core';
 * const r = new EqualMixture(new DiagonalGaussian(tf.tensor2d([[-2], [2]]), tf.zeros([2, 1])));
 * r.logProb(tf.zeros([1, 1])); // log N(0; ±2, 1) = −½ log 2π − 2
 * ```
 */
export class EqualMixture implements Distribution {
  /** Stable type name used in messages and serialization. */
  static readonly typeName: string = 'EqualMixture';
  readonly typeName: string = 'EqualMixture';
  readonly eventSize: number;
  readonly batchSize = 1;
  /** Number of components M. */
  readonly components: number;
  /** The components, as one distribution with batch size M. */
  readonly component: Distribution;

  /**
   * @param component - the M components as rows of one distribution (batch size M ≥ 1)
   * @throws {@link ShapeError} when the component batch is empty
   */
  constructor(component: Distribution) {
    if (component.batchSize < 1) {
      throw new ShapeError(`EqualMixture needs at least one component, got a batch of ${component.batchSize}`, {
        details: { expected: 'batch ≥ 1', actual: component.batchSize },
      });
    }
    this.component = component;
    this.components = component.batchSize;
    this.eventSize = component.eventSize;
  }

  /**
   * The mixture mean (1/M) Σ_m E[c_m], shape [1,K].
   * @returns the mean
   */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.mean(this.component.mean(), 0, true));
  }

  /**
   * Samples: a uniform component choice, then a reparameterized draw of that component.
   * @param n - number of draws; omitted gives [1,K], else [n,1,K]
   * @param seed - seed for reproducible draws (the component draw uses seed + 1)
   * @returns samples
   * @throws {@link ShapeError} when n is not a positive integer
   */
  sample(n?: number, seed?: number): tf.Tensor {
    expectSampleCount(this.typeName, n);
    return tf.tidy(() => {
      const count = n ?? 1;
      const m = this.components;
      const all = this.component.sample(count, seed); // [n,M,K]
      const idx = tf.reshape(tf.multinomial(tf.zeros([1, m]) as tf.Tensor2D, count, tfSeed(seed === undefined ? undefined : seed + 1)), [count]);
      // int32 one-hot rows cast to float32: tfjs-wasm 4.22's OneHot writes int32 whatever dtype it is asked for, so a
      // float32 one-hot there held 1.4e-45 (the bits of 1) for each 1 and every sample came out 0
      const pick = tf.expandDims(tf.cast(tf.oneHot(idx, m), 'float32'), -1); // [n,M,1]
      const z = tf.sum(tf.mul(all, pick), 1); // [n,K]
      return n === undefined ? tf.reshape(z, [1, this.eventSize]) : tf.reshape(z, [count, 1, this.eventSize]);
    });
  }

  /**
   * log (1/M) Σ_m c_m(z), by log-sum-exp over the components' log densities minus log M.
   * @param z - values [..., B, K]
   * @returns shape [..., B]
   * @throws {@link ShapeError} when the last axis is not K
   */
  logProb(z: tf.Tensor): tf.Tensor {
    expectEvent(this.typeName, z, this.eventSize);
    return tf.tidy(() => {
      const comp = this.component.logProb(tf.expandDims(z, -2)); // [..., B, M]
      const lse = tf.logSumExp(comp, -1);
      return this.components === 1 ? lse : tf.sub(lse, Math.log(this.components));
    });
  }
}

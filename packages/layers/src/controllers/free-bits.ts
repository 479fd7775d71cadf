import * as tf from '@tensorflow/tfjs';
import { ConfigError, type ControllerPlugin, type RateController } from '@vib/core';
import { z } from 'zod';
import { stateNumber } from './controller-state.js';

const WHO = 'controller "free-bits"';

/** Config of {@link freeBitsController}. */
export const freeBitsConfigSchema = z.strictObject({
  /** Rate weight β ≥ 0. */
  beta: z.number().finite().min(0).default(1),
  /** Free rate λ ≥ 0 per latent dimension, in nats. */
  lambda: z.number().finite().min(0).default(0.125),
  /** Latent dimension K, for the fallback when the KL has no per-dimension split (optional: the bottleneck's context gives it). */
  latentDim: z.number().int().min(1).optional(),
});

/** Config of {@link freeBitsController}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type FreeBitsControllerConfig = z.output<typeof freeBitsConfigSchema>;

/**
 * The free-bits rate term β·Σ_d max(KL_d, λ) of Kingma et al. (2016), "Improved variational
 * inference with inverse autoregressive flow": each latent dimension keeps λ nats for free (its
 * batch-mean KL_d is not pushed below λ; the gradient is 0 there and β above).
 *
 * It needs the per-dimension KL. When the prior–posterior pair does not factorize (`klPerDim`
 * is null, e.g. a mixture prior), it falls back to β·max(KL, K·λ), which frees the same total
 * but not each dimension; K comes from config `latentDim`, else from the context's latent size,
 * else from the last per-dimension KL seen. The first fallback logs a one-time note with `console.warn`. State: `{ beta }`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { freeBitsController } from '@vib/layers';
 * const c = freeBitsController.create({ beta: 1, lambda: 0.5 });
 * c.penalty(tf.scalar(2.2), tf.tensor1d([0.1, 2.1])); // max(0.1, 0.5) + max(2.1, 0.5) = 2.6
 * ```
 */
export const freeBitsController: ControllerPlugin<FreeBitsControllerConfig> = {
  name: 'free-bits',
  description: 'Free bits: β·Σ_d max(KL_d, λ), λ nats free per dimension (Kingma et al. 2016)',
  configSchema: freeBitsConfigSchema,
  create(config, context): RateController {
    const c = config;
    let beta = c.beta;
    let latentDim = c.latentDim ?? context?.latentDim;
    let noted = false;
    const fallback = (klMean: tf.Scalar): tf.Scalar => {
      if (latentDim === undefined) {
        throw new ConfigError(
          `${WHO}: the KL has no per-dimension split for this prior and posterior, and the latent size is unknown; ` +
            'set config latentDim to K so the free rate K·λ can be applied to the total',
          { details: { field: 'latentDim', value: undefined } },
        );
      }
      if (!noted) {
        noted = true;
        console.warn(
          `${WHO}: no per-dimension KL for this prior and posterior; using β·max(KL, K·λ) with K = ${latentDim}, ` +
            `λ = ${c.lambda} nats (the total is freed, not each dimension)`,
        );
      }
      const free = latentDim * c.lambda;
      return tf.tidy(() => tf.mul(tf.maximum(klMean, free), beta) as tf.Scalar);
    };
    return {
      penalty(klMean, klPerDim) {
        if (klPerDim === null) return fallback(klMean);
        latentDim = klPerDim.size;
        return tf.tidy(() => tf.mul(tf.sum(tf.maximum(klPerDim, c.lambda)), beta) as tf.Scalar);
      },
      update: () => undefined,
      get beta() {
        return beta;
      },
      getState: () => ({ beta }),
      setState(state) {
        beta = stateNumber(WHO, state, 'beta', 0);
      },
    };
  },
};

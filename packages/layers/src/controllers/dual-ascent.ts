import * as tf from '@tensorflow/tfjs';
import { bitsToNats, type ControllerPlugin, NonFiniteLossError, type RateController } from '@vib/core';
import { z } from 'zod';
import { stateNumber } from './controller-state.js';

const WHO = 'controller "dual-ascent"';

/** Config of {@link dualAscentController}: give the target rate in nats or in bits, not both. */
export const dualAscentConfigSchema = z
  .strictObject({
    /** Initial β ≥ 0. */
    beta0: z.number().finite().min(0).default(1e-3),
    /** Dual step size α > 0 (β changes by α per nat of rate above or below the target). */
    stepSize: z.number().finite().positive().default(1e-4),
    /** Target rate I_c in nats (≥ 0). */
    targetRateNats: z.number().finite().min(0).optional(),
    /** Target rate I_c in bits (≥ 0), converted to nats. */
    targetRateBits: z.number().finite().min(0).optional(),
  })
  .refine((c) => (c.targetRateNats === undefined) !== (c.targetRateBits === undefined), {
    message: 'give exactly one of targetRateNats or targetRateBits',
    path: ['targetRateNats'],
  });

/** Config of {@link dualAscentController}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type DualAscentControllerConfig = z.output<typeof dualAscentConfigSchema>;

/**
 * Dual ascent on β toward a target rate I_c, as in Peng et al. (2019), "Variational
 * Discriminator Bottleneck": the rate term is β·KL, and after each step
 * β ← max(0, β + α·(KL − I_c)), so β grows while the rate exceeds the target and shrinks (to
 * no less than 0) while it is below. β is a constant in the loss (no gradient flows to it).
 * State: `{ beta, step }`. `update` throws {@link NonFiniteLossError} on a NaN or infinite rate.
 * @example
 * ```ts
 * import { dualAscentController } from '@vib/layers';
 * const c = dualAscentController.create({ beta0: 0.1, stepSize: 0.01, targetRateBits: 2 });
 * c.update({ klNats: 3, step: 0, totalSteps: 100 }); // β = 0.1 + 0.01·(3 − 2 ln 2)
 * ```
 */
export const dualAscentController: ControllerPlugin<DualAscentControllerConfig> = {
  name: 'dual-ascent',
  description: 'Dual ascent: β·KL with β ← max(0, β + α(KL − I_c)) toward a target rate (Peng et al. 2019)',
  configSchema: dualAscentConfigSchema,
  create(config): RateController {
    const c = config;
    const target = c.targetRateNats ?? bitsToNats(c.targetRateBits ?? 0);
    let beta = c.beta0;
    let step = 0;
    return {
      penalty: (klMean) => tf.tidy(() => tf.mul(klMean, beta) as tf.Scalar),
      update(observation) {
        if (!Number.isFinite(observation.klNats)) {
          throw new NonFiniteLossError(
            `${WHO}: the observed rate klNats is ${String(observation.klNats)} at step ${observation.step}; ` +
              'β is left at its last value; lower the learning rate or check the data for NaN',
            { details: { field: 'klNats', value: observation.klNats, step: observation.step } },
          );
        }
        beta = Math.max(0, beta + c.stepSize * (observation.klNats - target));
        step = observation.step + 1;
      },
      get beta() {
        return beta;
      },
      getState: () => ({ beta, step }),
      setState(state) {
        beta = stateNumber(WHO, state, 'beta', 0);
        step = stateNumber(WHO, state, 'step', 0);
      },
    };
  },
};

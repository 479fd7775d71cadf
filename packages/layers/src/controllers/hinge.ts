import * as tf from '@tensorflow/tfjs';
import type { ControllerPlugin, RateController } from '@vib/core';
import { z } from 'zod';
import { stateNumber } from './controller-state.js';

const WHO = 'controller "hinge"';

/** Config of {@link hingeController}. */
export const hingeConfigSchema = z.strictObject({
  /** Weight λ ≥ 0 of the rate above capacity. */
  lambda: z.number().finite().min(0).default(1),
  /** Capacity C ≥ 0 in nats: rates up to C are free. */
  capacity: z.number().finite().min(0).default(0),
});

/** Config of {@link hingeController}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type HingeControllerConfig = z.output<typeof hingeConfigSchema>;

/**
 * The seeds' hinge rate term λ·max(KL − C, 0) (Su 2018, seed 001): the rate is free up to a
 * capacity of C nats and costs λ per nat above it, so the gradient with respect to KL is 0
 * below C and λ above. Neither λ nor C changes. `beta` reports λ, the slope above C.
 * State: `{ beta, capacity }`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { hingeController } from '@vib/layers';
 * const c = hingeController.create({ lambda: 2, capacity: 3 });
 * c.penalty(tf.scalar(5), null); // 2·(5 − 3) = 4
 * c.penalty(tf.scalar(1), null); // 0
 * ```
 */
export const hingeController: ControllerPlugin<HingeControllerConfig> = {
  name: 'hinge',
  description: 'Hinge: λ·max(KL − C, 0), free rate up to capacity C (seed 001)',
  configSchema: hingeConfigSchema,
  create(config): RateController {
    const c = config;
    let lambda = c.lambda;
    let capacity = c.capacity;
    return {
      penalty: (klMean) => tf.tidy(() => tf.mul(tf.relu(tf.sub(klMean, capacity)), lambda) as tf.Scalar),
      update: () => undefined,
      get beta() {
        return lambda;
      },
      getState: () => ({ beta: lambda, capacity }),
      setState(state) {
        lambda = stateNumber(WHO, state, 'beta', 0);
        capacity = stateNumber(WHO, state, 'capacity', 0);
      },
    };
  },
};

import * as tf from '@tensorflow/tfjs';
import type { ControllerPlugin, RateController } from '@vib/core';
import { z } from 'zod';
import { stateNumber } from './controller-state.js';

const WHO = 'controller "fixed"';

/** Config of {@link fixedController}. */
export const fixedConfigSchema = z.strictObject({
  /** The rate weight β ≥ 0 (Alemi et al. 2017 report β around 1e-3 for MNIST). */
  beta: z.number().finite().min(0).default(1e-3),
});

/** Config of {@link fixedController}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type FixedControllerConfig = z.output<typeof fixedConfigSchema>;

/**
 * The fixed-β rate term β·KL of the VIB objective (Alemi et al. 2017; the seeds' λ·KL).
 * β never changes; `update` does nothing. State: `{ beta }`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { fixedController } from '@vib/layers';
 * const c = fixedController.create({ beta: 0.01 });
 * c.penalty(tf.scalar(5), null); // 0.05
 * ```
 */
export const fixedController: ControllerPlugin<FixedControllerConfig> = {
  name: 'fixed',
  description: 'Fixed weight: β·KL',
  configSchema: fixedConfigSchema,
  create(config): RateController {
    let beta = config.beta;
    return {
      penalty: (klMean) => tf.tidy(() => tf.mul(klMean, beta) as tf.Scalar),
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

import * as tf from '@tensorflow/tfjs';
import type { ControllerPlugin, RateController } from '@vib/core';
import { z } from 'zod';
import { stateNumber } from './controller-state.js';

const WHO = 'controller "capacity"';

/** Config of {@link capacityController}; defaults are Burgess et al.'s (2018) dSprites settings. */
export const capacityConfigSchema = z.strictObject({
  /** Weight γ ≥ 0 of the distance |KL − C| (Burgess et al. use 1000). */
  gamma: z.number().finite().min(0).default(1000),
  /** Capacity at step 0, in nats (≥ 0). */
  c0: z.number().finite().min(0).default(0),
  /** Capacity reached at the end of the ramp, in nats (≥ 0; Burgess et al. use 25). */
  cMax: z.number().finite().min(0).default(25),
  /** Steps over which C moves linearly from c0 to cMax (≥ 1; Burgess et al. use 100 000). */
  rampSteps: z.number().int().min(1).default(100_000),
});

/** Config of {@link capacityController}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type CapacityControllerConfig = z.output<typeof capacityConfigSchema>;

/**
 * Capacity at a step of the linear ramp: c0 + (cMax − c0)·min(step / rampSteps, 1).
 * @param config - the ramp
 * @param step - steps taken so far (≥ 0)
 * @returns C in nats
 * @example
 * ```ts
 * capacityAt({ c0: 0, cMax: 10, rampSteps: 100 }, 50); // 5
 * ```
 */
export function capacityAt(
  config: { readonly c0: number; readonly cMax: number; readonly rampSteps: number },
  step: number,
): number {
  const t = Math.min(Math.max(step, 0) / config.rampSteps, 1);
  return config.c0 + (config.cMax - config.c0) * t;
}

/**
 * The capacity-annealed rate term γ·|KL − C| of Burgess et al. (2018), "Understanding
 * disentangling in β-VAE": the rate is pulled toward a target capacity C that grows linearly
 * from c0 to cMax over `rampSteps` steps, so the gradient with respect to KL is +γ above C and
 * −γ below it. After the step with index s, `update` sets C to its value at step s + 1.
 * `beta` reports γ. State: `{ beta, capacity, step }`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { capacityController } from '@vib/layers';
 * const c = capacityController.create({ gamma: 10, c0: 0, cMax: 5, rampSteps: 100 });
 * c.update({ klNats: 1, step: 49, totalSteps: 1000 }); // C = 2.5
 * c.penalty(tf.scalar(3), null); // 10·|3 − 2.5| = 5
 * ```
 */
export const capacityController: ControllerPlugin<CapacityControllerConfig> = {
  name: 'capacity',
  description: 'Capacity annealing: γ·|KL − C| with C ramped linearly from c0 to cMax (Burgess et al. 2018)',
  configSchema: capacityConfigSchema,
  create(config): RateController {
    const c = config;
    let gamma = c.gamma;
    let step = 0;
    let capacity = capacityAt(c, step);
    return {
      penalty: (klMean) => tf.tidy(() => tf.mul(tf.abs(tf.sub(klMean, capacity)), gamma) as tf.Scalar),
      update(observation) {
        step = observation.step + 1;
        capacity = capacityAt(c, step);
      },
      get beta() {
        return gamma;
      },
      getState: () => ({ beta: gamma, capacity, step }),
      setState(state) {
        gamma = stateNumber(WHO, state, 'beta', 0);
        capacity = stateNumber(WHO, state, 'capacity', 0);
        step = stateNumber(WHO, state, 'step', 0);
      },
    };
  },
};

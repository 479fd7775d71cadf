import type { ControllerPlugin, RateController } from '@vib/core';
import { z } from 'zod';
import { stepScheduleController } from './step-schedule.js';

const WHO = 'controller "warmup"';

/** Config of {@link warmupController}. */
export const warmupConfigSchema = z.strictObject({
  /** β reached at the end of the warm-up (≥ 0). */
  beta: z.number().finite().min(0).default(1),
  /** Steps over which β rises linearly from 0 (≥ 1). */
  warmupSteps: z.number().int().min(1).default(10_000),
});

/** Config of {@link warmupController}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type WarmupControllerConfig = z.output<typeof warmupConfigSchema>;

/**
 * β at a step of a linear warm-up: β·min(step / warmupSteps, 1).
 * @param config - target β and warm-up length
 * @param step - optimizer steps taken so far (≥ 0)
 * @returns β
 * @example
 * ```ts
 * warmupBetaAt({ beta: 1, warmupSteps: 100 }, 25); // 0.25
 * ```
 */
export function warmupBetaAt(config: { readonly beta: number; readonly warmupSteps: number }, step: number): number {
  return config.beta * Math.min(Math.max(step, 0) / config.warmupSteps, 1);
}

/**
 * β warm-up (KL annealing; Bowman et al. 2016, Sønderby et al. 2016): the rate term β(t)·KL with β rising linearly
 * from 0 to `beta` over `warmupSteps` optimizer steps, then held, so the decoder learns to use z before the rate
 * is priced in. State: `{ step }` (β follows from the step; a saved `beta`, as states held it before, is ignored).
 * @example
 * ```ts
 * const c = warmupController.create({ beta: 1, warmupSteps: 10 });
 * c.update({ klNats: 3, step: 4, totalSteps: 100 }); // 5 steps done: β = 0.5
 * ```
 */
export const warmupController: ControllerPlugin<WarmupControllerConfig> = {
  name: 'warmup',
  description: 'β warm-up: β·KL with β rising linearly from 0 over warmupSteps, then fixed (Bowman et al. 2016)',
  configSchema: warmupConfigSchema,
  create(config): RateController {
    return stepScheduleController(WHO, (step) => warmupBetaAt(config, step), false);
  },
};

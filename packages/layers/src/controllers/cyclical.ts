import type { ControllerPlugin, RateController } from '@vib/core';
import { z } from 'zod';
import { stepScheduleController } from './step-schedule.js';

const WHO = 'controller "cyclical"';

/** Config of {@link cyclicalController}; defaults are Fu et al.'s (2019) M = 4, R = 0.5. */
export const cyclicalConfigSchema = z.strictObject({
  /** The largest β of each cycle (≥ 0). */
  beta: z.number().finite().min(0).default(1),
  /** Number of cycles M over the whole run (≥ 1). */
  cycles: z.number().int().min(1).default(4),
  /** Fraction R of each cycle spent rising from 0 to β (in (0, 1]); the rest holds β. */
  ratio: z.number().gt(0).max(1).default(0.5),
});

/** Config of {@link cyclicalController}, parsed (defaults filled in): its registry entry validates it once, with `resolvePluginRef`; `create` takes it as is. */
export type CyclicalControllerConfig = z.output<typeof cyclicalConfigSchema>;

/**
 * β at a step of the cyclical schedule of Fu et al. (2019): with T total steps split into M cycles of ⌈T/M⌉ steps,
 * τ = (step mod ⌈T/M⌉)/(T/M) and β(τ) = β·min(τ/R, 1).
 * @param config - β, M and R
 * @param step - optimizer steps taken so far (≥ 0)
 * @param totalSteps - T, the steps of the whole run
 * @returns β
 * @example
 * ```ts
 * cyclicalBetaAt({ beta: 1, cycles: 2, ratio: 0.5 }, 25, 100); // 0.5 (halfway up the first cycle's ramp)
 * ```
 */
export function cyclicalBetaAt(config: { readonly beta: number; readonly cycles: number; readonly ratio: number }, step: number, totalSteps: number): number {
  const period = totalSteps / config.cycles;
  const tau = (Math.max(step, 0) % Math.ceil(period)) / period;
  return config.beta * Math.min(tau / config.ratio, 1);
}

/**
 * Cyclical β annealing (Fu et al. 2019, "Cyclical Annealing Schedule: A Simple Approach to Mitigating KL
 * Vanishing"): the warm-up repeated M times over the run, each cycle rising linearly from 0 to β for a fraction R
 * of its steps and holding β for the rest. State: `{ step, totalSteps }` (β follows from them; a saved `beta`, as
 * states held it before, is ignored).
 * @example
 * ```ts
 * const c = cyclicalController.create({ beta: 1, cycles: 2, ratio: 0.5 });
 * c.update({ klNats: 3, step: 49, totalSteps: 100 }); // 50 steps done: the second cycle starts, β = 0
 * ```
 */
export const cyclicalController: ControllerPlugin<CyclicalControllerConfig> = {
  name: 'cyclical',
  description: 'cyclical β annealing: M cycles, each rising linearly from 0 to β over a fraction R, then holding (Fu et al. 2019)',
  configSchema: cyclicalConfigSchema,
  create(config): RateController {
    return stepScheduleController(WHO, (step, totalSteps) => cyclicalBetaAt(config, step, totalSteps), true);
  },
};

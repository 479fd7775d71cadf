import * as tf from '@tensorflow/tfjs';
import type { RateController } from '@vib/core';
import { stateNumber } from './controller-state.js';

/**
 * A controller whose β is a function of the optimizer step (and, for schedules over the whole run, of the total
 * steps): β is derived from the step, never stored. State: `{ step }`, plus `totalSteps` when the schedule uses it.
 * @param who - the controller's name in state errors, e.g. `controller "warmup"`
 * @param betaAt - β after `step` steps of `totalSteps`
 * @param usesTotal - whether the state carries `totalSteps`
 * @returns the controller
 */
export function stepScheduleController(who: string, betaAt: (step: number, totalSteps: number) => number, usesTotal: boolean): RateController {
  let step = 0;
  let totalSteps = 1;
  let beta = betaAt(step, totalSteps); // cached: read every optimizer step by penalty()
  return {
    penalty: (klMean) => tf.tidy(() => tf.mul(klMean, beta) as tf.Scalar),
    update(observation) {
      step = observation.step + 1;
      if (usesTotal) totalSteps = Math.max(observation.totalSteps, 1);
      beta = betaAt(step, totalSteps);
    },
    get beta() {
      return beta;
    },
    getState: () => (usesTotal ? { step, totalSteps } : { step }),
    setState(state) {
      step = stateNumber(who, state, 'step', 0);
      if (usesTotal) totalSteps = stateNumber(who, state, 'totalSteps', 1);
      beta = betaAt(step, totalSteps);
    },
  };
}

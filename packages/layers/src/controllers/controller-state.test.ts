import * as tf from '@tensorflow/tfjs';
import type { RateController } from '@vib/core';
import { describe, expect, it } from 'vitest';
import { restoreControllerState, saveControllerState } from './controller-state.js';
import { warmupController } from './warmup.js';

/** A controller whose state is whatever the test gives it. */
const withState = (state: unknown): RateController => ({
  beta: 0.001,
  penalty: (kl) => tf.mul(kl, 1) as tf.Scalar,
  update: () => undefined,
  getState: () => state as Record<string, number>,
  setState: () => undefined,
});

describe('a controller’s state is checked where it is written', () => {
  it('an array field names the controller and the field, not a corrupted file', () => {
    expect(() => saveControllerState(withState({ lambdas: [1, 2] }), 'controller "per-dim"')).toThrow(
      'controller "per-dim": getState() returned field "lambdas" = [1,2], not a finite number: a controller\'s state is finite numbers by name (for a list, one field per entry, e.g. lambda0, lambda1, …), so that saved models and checkpoints can hold and check it',
    );
    expect(() => saveControllerState(withState({ step: Number.NaN }))).toThrow(/^the rate controller: getState\(\) returned field "step" = NaN, not a finite number/);
    expect(() => saveControllerState(withState(undefined), 'controller "x"')).toThrow(/^controller "x": getState\(\) returned undefined: it must return plain numbers by name/);
  });

  it('a good state is copied, and reads back into a controller of the same config', () => {
    const c = warmupController.create({ beta: 1, warmupSteps: 10 });
    for (let step = 0; step < 3; step++) c.update({ klNats: 1, step, totalSteps: 100 });
    const saved = saveControllerState(c, 'controller "warmup"');
    expect(saved).toEqual({ step: 3 });
    const again = warmupController.create({ beta: 1, warmupSteps: 10 });
    restoreControllerState(again, JSON.parse(JSON.stringify(saved)), 'the test');
    expect(saveControllerState(again)).toEqual(saved);
  });
});

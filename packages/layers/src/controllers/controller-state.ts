import { ConfigError } from '@vib/core';
import type { RateController } from '@vib/core';

/**
 * Read one number from a saved controller state, for `setState`.
 * @param controller - who restores, e.g. `controller "hinge"`
 * @param state - what `getState` returned
 * @param key - the field to read
 * @param min - the least valid value (default −∞)
 * @returns the value
 * @throws {@link ConfigError} naming the field when it is missing, not finite, or below `min`
 */
export function stateNumber(
  controller: string,
  state: Record<string, number>,
  key: string,
  min = Number.NEGATIVE_INFINITY,
): number {
  const v = state[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new ConfigError(
      `${controller}: saved state field "${key}" must be a finite number${min > Number.NEGATIVE_INFINITY ? ` ≥ ${min}` : ''}, ` +
        `got ${String(v)}; pass what getState() returned`,
      { details: { field: key, value: v } },
    );
  }
  return v;
}

/**
 * What keeps a value from being a controller state (an object of finite numbers by name), for both ends: writing
 * blames the controller, reading blames the file.
 * @param state - what `getState` returned, or what a file held
 * @returns `not-an-object`, the first field that is not a finite number, or null where it is a state
 */
function stateProblem(state: unknown): 'not-an-object' | [key: string, value: unknown] | null {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return 'not-an-object';
  const bad = Object.entries(state).find(([, v]) => typeof v !== 'number' || !Number.isFinite(v));
  return bad ?? null;
}

/**
 * Save a rate controller's state: the one function both saved models (the bottleneck's layer config) and
 * training checkpoints (`checkpoint.vib`) write it with. A copy of what `getState` returns (only what the
 * controller cannot derive: the warm-up and cyclical controllers keep the step, not β).
 * @param controller - the controller
 * @param name - who it is, for messages (default `the rate controller`), e.g. `controller "hinge"`
 * @returns plain numbers by name
 * @throws {@link ConfigError} naming the controller and the field when `getState` returns anything but finite numbers
 *   by name: checked where it is written, so that the controller is blamed, not the file it would be read from
 * @example
 * ```ts
 * saveControllerState(warmupController.create({ beta: 1, warmupSteps: 10 })); // { step: 0 }
 * ```
 */
export function saveControllerState(controller: RateController, name = 'the rate controller'): Record<string, number> {
  const state: unknown = controller.getState();
  const bad = stateProblem(state);
  if (bad === 'not-an-object') {
    throw new ConfigError(`${name}: getState() returned ${JSON.stringify(state) ?? String(state)}: it must return plain numbers by name, e.g. { step: 12 }`, {
      details: { field: 'controllerState', value: state },
    });
  }
  if (bad !== null) {
    const [key, v] = bad;
    throw new ConfigError(
      `${name}: getState() returned field "${key}" = ${typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v))}, not a finite number: a controller's state is finite numbers by name ` +
        '(for a list, one field per entry, e.g. lambda0, lambda1, …), so that saved models and checkpoints can hold and check it',
      { details: { field: `controllerState.${key}`, value: v } },
    );
  }
  return { ...(state as Record<string, number>) };
}

/**
 * Restore a rate controller's state: the one function both saved models and training checkpoints read it
 * with. Checks that it is a record of finite numbers before the controller's own `setState` reads its fields
 * (and ignores the fields it now derives, so states saved before, with β, still load).
 * @param controller - the controller, created from the saved config
 * @param state - what {@link saveControllerState} wrote (parsed JSON)
 * @param where - where the state came from, for messages (e.g. `the saved model's controller state`)
 * @throws {@link ConfigError} naming the field that is not a finite number, or the controller's own refusal
 */
export function restoreControllerState(controller: RateController, state: unknown, where: string): void {
  const bad = stateProblem(state);
  if (bad === 'not-an-object') {
    throw new ConfigError(`${where} must be an object of numbers by name, got ${JSON.stringify(state) ?? String(state)}: save it with saveControllerState`, {
      details: { field: 'controllerState', value: state },
    });
  }
  if (bad !== null) {
    const [key, v] = bad;
    throw new ConfigError(`${where}: field "${key}" is ${JSON.stringify(v) ?? String(v)}, not a finite number: the file is corrupted; use an earlier one`, {
      details: { field: `controllerState.${key}`, value: v },
    });
  }
  controller.setState({ ...(state as Record<string, number>) });
}

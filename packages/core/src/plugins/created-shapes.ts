import { describeKind } from '../config/describe-kind.js';
import { VibError } from '../errors/vib-error.js';
import { shapeProblems, type PluginShape } from '../registry/plugin-shape.js';

/** What a prior plugin's `create` returns must have (optional members left out). */
export const PRIOR_INSTANCE_SHAPE: PluginShape = { distribution: 'function' };
/** What a controller plugin's `create` returns must have. */
export const CONTROLLER_INSTANCE_SHAPE: PluginShape = { penalty: 'function', update: 'function', getState: 'function', setState: 'function' };

/**
 * Check what a plugin's factory (`create`, `load`) returned against what its kind's users call, where it is called,
 * so that a mistake is named there (the plugin, the member, what to return) rather than surfacing later as
 * "x is not a function" deep inside training.
 * @param kind - the plugin kind, e.g. `prior`
 * @param name - the plugin's name
 * @param value - what the factory returned
 * @param shape - the members it must have
 * @param factory - the factory's name, for messages (default `create`)
 * @returns value, typed
 * @throws {@link VibError} `E_INVALID_PLUGIN` naming the plugin, what came back and each member missing or mistyped
 * @example
 * ```ts
 * expectCreated('prior', 'my-prior', myPrior.create(config, context), PRIOR_INSTANCE_SHAPE);
 * ```
 */
export function expectCreated<T>(kind: string, name: string, value: unknown, shape: PluginShape, factory = 'create'): T {
  const members = Object.entries(shape)
    .map(([m, t]) => `${m} (${t === 'array' ? 'an array' : `a ${t}`})`)
    .join(', ');
  const problems = typeof value === 'object' && value !== null ? shapeProblems(value, shape) : [`it is ${describeKind(value)}`];
  if (problems.length === 0) return value as T;
  throw new VibError(
    'E_INVALID_PLUGIN',
    `the ${kind} plugin "${name}": ${factory}() returned what its users cannot call (${problems.join('; ')}): it must return an object with ${members}`,
    { details: { kind, name, factory, problems } },
  );
}

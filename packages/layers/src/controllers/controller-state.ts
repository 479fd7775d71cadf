import { ConfigError } from '@vib/core';

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

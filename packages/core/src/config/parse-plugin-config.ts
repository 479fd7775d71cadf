import type { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { showValue, valueAt } from './config-value.js';
import { nearestKey, validKeysAt } from './unknown-key.js';

/**
 * Validate a plugin's config with its zod schema, turning the first problem into a
 * {@link ConfigError} that names the field, shows the offending value and says what to do.
 * `undefined` is read as `{}`, so a schema whose fields all have defaults accepts no config.
 * Parsing an already-parsed config returns an equal config. Plugins do not need it in `create`: a plugin's
 * config is validated once, where its reference is resolved ({@link resolvePluginRef}), and `create` receives
 * the parsed config; use this for a config that reaches a plugin some other way.
 * @param plugin - who is configured, e.g. `controller "fixed"`
 * @param schema - the plugin's config schema
 * @param raw - the config as written (JSON, CLI flags) or already parsed
 * @returns the parsed config, defaults filled in
 * @throws {@link ConfigError} with `details.field` (dotted path, e.g. `beta`) and `details.value`
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { parsePluginConfig } from '@vib/core';
 * const schema = z.strictObject({ beta: z.number().min(0).default(1) });
 * parsePluginConfig('controller "fixed"', schema, {}); // { beta: 1 }
 * parsePluginConfig('controller "fixed"', schema, { beta: -1 }); // throws ConfigError naming "beta"
 * ```
 */
export function parsePluginConfig<C>(plugin: string, schema: z.ZodType<C>, raw: unknown): C {
  const input = raw === undefined ? {} : raw;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const path = [...(issue?.path ?? []), ...(unknownKey === undefined ? [] : [unknownKey])];
  const field = path.length > 0 ? path.map(String).join('.') : '(config)';
  const value = valueAt(input, path);
  const near = unknownKey === undefined ? undefined : nearestKey(unknownKey, validKeysAt(schema, issue?.path ?? []));
  const hint =
    unknownKey === undefined
      ? `fix "${field}" and try again`
      : near !== undefined
        ? `did you mean "${near}"?`
        : `remove "${unknownKey}" or check its spelling`;
  throw new ConfigError(
    `${plugin}: config field "${field}" is invalid (${issue?.message ?? 'rejected by the schema'}), got ${showValue(value)}; ${hint}`,
    { cause: result.error, details: { plugin, field, value, issues: result.error.issues } },
  );
}

import type { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { showValue, valueAt } from './config-value.js';
import { unknownKeyMessage, validKeysAt } from './unknown-key.js';

/**
 * Validate `value` with a zod schema, turning failures into a {@link ConfigError} whose message
 * names the field path, e.g. `controller.config.beta: Too small: expected number to be >=0, got -1`,
 * and for an unknown key where it is and the nearest valid key:
 * `unknown key "betta" at the top level: did you mean "beta"?`.
 * @param schema - the schema
 * @param value - the raw value
 * @param prefix - path of `value` inside the whole config (e.g. `controller.config`), or '' at the root
 * @returns the parsed value
 * @throws {@link ConfigError} listing every invalid field with its offending value
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { parseWithPath } from '@vib/core';
 * parseWithPath(z.object({ beta: z.number().min(0) }), { beta: -1 }, 'controller.config');
 * // throws ConfigError: controller.config.beta: ... got -1
 * ```
 */
export function parseWithPath<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.flatMap((issue) => {
    const where = [prefix, ...issue.path.map(String)].filter((p) => p.length > 0).join('.');
    if (issue.code === 'unrecognized_keys') {
      const valid = validKeysAt(schema, issue.path);
      return issue.keys.map((key) => unknownKeyMessage(key, where, valid));
    }
    const got = valueAt(value, issue.path);
    // a required key left out: say so, rather than zod's "Invalid input, got undefined"
    if (got === undefined && issue.path.length > 0 && /^Invalid input/.test(issue.message)) return [`${where}: missing (this key is required)`];
    return [`${where || '(root)'}: ${issue.message}, got ${showValue(got)}`];
  });
  const first = result.error.issues[0];
  const field = [prefix, ...(first?.path ?? []).map(String)].filter((p) => p.length > 0).join('.');
  throw new ConfigError(`invalid configuration: ${lines.join('; ')}`, {
    cause: result.error,
    details: { field, issues: lines },
  });
}

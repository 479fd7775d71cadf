import type { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { showValue, valueAt } from './config-value.js';

/**
 * Validate `value` with a zod schema, turning failures into a {@link ConfigError} whose message
 * names the field path, e.g. `controller.config.beta: Too small: expected number to be >=0, got -1`.
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
  const lines = result.error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p.length > 0).join('.') || '(root)';
    return `${path}: ${issue.message}, got ${showValue(valueAt(value, issue.path))}`;
  });
  const first = result.error.issues[0];
  const field = [prefix, ...(first?.path ?? []).map(String)].filter((p) => p.length > 0).join('.');
  throw new ConfigError(`invalid configuration: ${lines.join('; ')}`, {
    cause: result.error,
    details: { field, issues: lines },
  });
}

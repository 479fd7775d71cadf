import { ConfigError } from '@vib/core';
import type { z } from 'zod';

/**
 * Format a value for an error message: JSON where possible, short.
 * @param value - anything
 * @returns a readable rendering
 */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

function at(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

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
 * parseWithPath(z.object({ beta: z.number().min(0) }), { beta: -1 }, 'controller.config');
 * // throws ConfigError: controller.config.beta: ... got -1
 * ```
 */
export function parseWithPath<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p.length > 0).join('.') || '(root)';
    return `${path}: ${issue.message}, got ${showValue(at(value, issue.path))}`;
  });
  const first = result.error.issues[0];
  const field = [prefix, ...(first?.path ?? []).map(String)].filter((p) => p.length > 0).join('.');
  throw new ConfigError(`invalid configuration: ${lines.join('; ')}`, {
    cause: result.error,
    details: { field, issues: lines },
  });
}

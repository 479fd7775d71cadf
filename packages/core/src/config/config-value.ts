/**
 * Read the value at a path inside a parsed-JSON-like object.
 * @param root - the object
 * @param path - keys from the root
 * @returns the value there, or undefined when the path leaves the object
 */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * Format a value for an error message: JSON where possible, at most 80 characters;
 * non-finite numbers as `NaN` / `Infinity`.
 * @param value - anything
 * @returns a readable rendering
 * @example
 * ```ts
 * import { showValue } from '@vib/core';
 * showValue({ beta: -1 }); // '{"beta":-1}'
 * ```
 */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    const s = JSON.stringify(value) ?? String(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

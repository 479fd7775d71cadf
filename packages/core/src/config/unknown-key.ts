import type { z } from 'zod';
import { editDistance } from './edit-distance.js';

type Def = { type?: string; shape?: Record<string, unknown>; innerType?: unknown; in?: unknown; out?: unknown; options?: unknown[]; element?: unknown; valueType?: unknown };

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** The object schemas a schema may be at this point (through defaults, optionals, pipes and unions). */
function objectsOf(schema: unknown, depth = 0): Def[] {
  const def = defOf(schema);
  if (def === undefined || depth > 8) return [];
  if (def.type === 'object') return [def];
  if (def.innerType !== undefined) return objectsOf(def.innerType, depth + 1);
  if (def.type === 'pipe') return [...objectsOf(def.in, depth + 1), ...objectsOf(def.out, depth + 1)];
  if (def.type === 'union' && Array.isArray(def.options)) return def.options.flatMap((o) => objectsOf(o, depth + 1));
  return [];
}

/**
 * The keys an object schema accepts at `path` inside `schema`, walking through defaults, optionals,
 * pipes, unions, arrays and records.
 * @param schema - the root schema
 * @param path - keys from the root
 * @returns the valid keys there (empty when the path does not lead to an object schema)
 */
export function validKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown[] = [schema];
  for (const key of path) {
    const next: unknown[] = [];
    for (const s of current) {
      for (const obj of objectsOf(s)) {
        const child = obj.shape?.[String(key)];
        if (child !== undefined) next.push(child);
      }
      const def = defOf(s);
      if (def?.type === 'array' && typeof key === 'number') next.push(def.element);
      if (def?.type === 'record') next.push(def.valueType);
    }
    current = next;
  }
  return [...new Set(current.flatMap((s) => objectsOf(s).flatMap((o) => Object.keys(o.shape ?? {}))))];
}

/**
 * The valid key nearest to a misspelt one (case-insensitive edit distance, at most a third of its
 * length, at least 2), or undefined when none is that close.
 * @param key - the unknown key
 * @param candidates - the valid keys
 * @returns the suggestion
 * @example
 * ```ts
 * nearestKey('betta', ['beta', 'seed']); // 'beta'
 * ```
 */
export function nearestKey(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(key.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * The message for an unknown key: where it is and the nearest valid key, e.g.
 * `unknown key "betta" at the top level: did you mean "beta"?`.
 * @param key - the unknown key
 * @param where - dotted path of the object holding it ('' for the top level)
 * @param valid - the keys valid there
 * @returns the message
 */
export function unknownKeyMessage(key: string, where: string, valid: readonly string[]): string {
  const place = where === '' ? 'at the top level' : `in "${where}"`;
  const near = nearestKey(key, valid);
  if (near !== undefined) return `unknown key "${key}" ${place}: did you mean "${near}"?`;
  return valid.length > 0 ? `unknown key "${key}" ${place}: valid keys are ${valid.join(', ')}` : `unknown key "${key}" ${place}: remove it`;
}

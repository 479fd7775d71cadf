import { usageError } from '../util/cli-error.js';

/** One axis of a sweep grid: a dotted config key and the values it takes. */
export interface GridAxis {
  /** Dotted path into the raw experiment config, e.g. `latentDim` or `optimizer.learningRate`. */
  readonly key: string;
  readonly values: readonly unknown[];
}

/** One grid point: its raw config and its coordinates on the axes. */
export interface GridPoint {
  readonly raw: Record<string, unknown>;
  readonly coords: Readonly<Record<string, unknown>>;
}

function parseValue(text: string): unknown {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  if (t.startsWith('{') || t.startsWith('"')) {
    try {
      return JSON.parse(t);
    } catch {
      // a plain string after all
    }
  }
  return t;
}

/**
 * Parse `--grid key=v1,v2,...`: numbers and booleans become numbers and booleans, the rest strings; a value
 * list written as a JSON array (`key=[[64],[128,128]]`) is taken as is.
 * @param text - the flag value
 * @returns the axis
 * @throws {@link CliError} (exit code 2) on a missing `=`, an empty key or no values
 */
export function parseGridFlag(text: string): GridAxis {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq).trim() : '';
  const rest = eq > 0 ? text.slice(eq + 1).trim() : '';
  if (key === '' || rest === '' || !/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(key)) {
    throw usageError(`--grid ${text}: expected key=v1,v2 with a dotted config key, e.g. --grid latentDim=8,32 or --grid optimizer.learningRate=1e-3,1e-4`);
  }
  if (rest.startsWith('[')) {
    let list: unknown;
    try {
      list = JSON.parse(rest);
    } catch (e) {
      throw usageError(`--grid ${text}: the value list is not valid JSON (${(e as Error).message})`, { cause: e });
    }
    if (!Array.isArray(list) || list.length === 0) throw usageError(`--grid ${text}: give a non-empty JSON array of values`);
    return { key, values: list };
  }
  return { key, values: rest.split(',').map(parseValue) };
}

/**
 * Set a dotted key inside a copy of a nested object, creating the objects on the way.
 * @param obj - the object (not modified)
 * @param key - dotted path, e.g. `encoder.hidden`
 * @param value - the value
 * @returns the updated copy
 * @throws {@link CliError} (exit code 2) when the path runs into a non-object value
 */
export function deepSet(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const [head, ...tail] = key.split('.');
  const copy = { ...obj };
  if (tail.length === 0) {
    copy[head!] = value;
    return copy;
  }
  const inner = copy[head!] ?? {};
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw usageError(`--grid ${key}: "${head}" in the config is ${JSON.stringify(inner)}, not an object, so "${tail.join('.')}" cannot be set inside it`);
  }
  copy[head!] = deepSet(inner as Record<string, unknown>, tail.join('.'), value);
  return copy;
}

/**
 * Every combination of the axes' values (the first axis varies slowest), each applied to the base config.
 * Setting `beta` drops the base's controller, as `--beta` does.
 * @param base - the raw base config
 * @param axes - the grid axes
 * @returns the points, in grid order
 */
export function expandGrid(base: Record<string, unknown>, axes: readonly GridAxis[]): GridPoint[] {
  let points: GridPoint[] = [{ raw: base, coords: {} }];
  for (const axis of axes) {
    points = points.flatMap((p) => axis.values.map((value) => {
      let raw = deepSet(p.raw, axis.key, value);
      if (axis.key === 'beta') {
        const { controller: _dropped, ...rest } = raw;
        raw = rest;
      }
      return { raw, coords: { ...p.coords, [axis.key]: value } };
    }));
  }
  return points;
}

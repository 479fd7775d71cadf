/**
 * The dotted paths where two JSON values differ, e.g. `['seed', 'optimizer.learningRate']`
 * (arrays compare element by element; a key present on one side only counts as a difference).
 * @param a - one value (e.g. the config a checkpoint was written with)
 * @param b - the other (e.g. the config of the run resuming it)
 * @param prefix - path of `a` and `b` inside their parents
 * @returns the differing paths, sorted; empty when equal
 * @example
 * ```ts
 * configDiff({ seed: 1, batchSize: 64 }, { seed: 2, batchSize: 64 }); // ['seed']
 * ```
 */
export function configDiff(a: unknown, b: unknown, prefix = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => configDiff(a[k], b[k], prefix === '' ? k : `${prefix}.${k}`));
  }
  return Object.is(a, b) ? [] : [prefix === '' ? '(the whole value)' : prefix];
}

/**
 * Flatten nested config objects to dotted keys (arrays are kept whole, as JSON).
 * @param value - a config
 * @param prefix - key prefix
 * @param out - accumulator
 * @returns dotted key → JSON text of the value
 */
export function flattenConfig(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix !== '') {
    out[prefix] = JSON.stringify(value);
  }
  return out;
}

/**
 * The config keys whose values differ between runs (a key missing in a run counts as different).
 * @param configs - one config per run
 * @returns sorted dotted keys, each with the runs' values (`-` when missing)
 */
export function configDifferences(configs: readonly unknown[]): { key: string; values: string[] }[] {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  return keys
    .map((key) => ({ key, values: flat.map((f) => f[key] ?? '-') }))
    .filter((d) => new Set(d.values).size > 1);
}

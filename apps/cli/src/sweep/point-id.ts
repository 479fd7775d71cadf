import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so equal values give equal text.
 * @param value - JSON-able data
 * @returns canonical JSON
 */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The deterministic id of a sweep point: a hash of everything that decides its result (the resolved
 * config, which holds the seed and the data subset). The same point in a re-run sweep gets the same id.
 * The subset is hashed apart from the rest, as text, as it was when it came from `--max-train`/`--max-test` rather
 * than the config: points recorded then keep their ids.
 * @param resolved - the parsed experiment config
 * @returns 16 hex digits
 */
export function pointId(resolved: { readonly subset?: { readonly maxTrain?: number | undefined; readonly maxTest?: number | undefined } | undefined }): string {
  const { subset = {}, ...config } = resolved;
  const asText = Object.fromEntries(Object.entries(subset).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
  return createHash('sha256').update(stableStringify({ config, subset: asText })).digest('hex').slice(0, 16);
}

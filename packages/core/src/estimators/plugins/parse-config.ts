import type { z } from 'zod';
import { ConfigError } from '../../errors/config-error.js';

/**
 * Validate an estimator config against its schema, applying defaults.
 * @param who - e.g. `estimator "binning"`, for the message
 * @param schema - the plugin's schema
 * @param config - the raw config
 * @returns the parsed config
 * @throws {@link ConfigError} naming the first offending field and value
 */
export function parseEstimatorConfig<T>(who: string, schema: z.ZodType<T>, config: unknown): T {
  const r = schema.safeParse(config ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  throw new ConfigError(`${who}: config field "${field}" is invalid: ${issue?.message ?? 'unknown issue'}; see the plugin's configSchema`, {
    cause: r.error,
    details: { field },
  });
}

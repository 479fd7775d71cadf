import { z } from 'zod';

/**
 * A plugin reference in a config, in either form: the registered name alone (`"laplace"`), or
 * `{ name, config }`. Both parse to `{ name, config? }`. Strict: other keys are errors.
 * @example
 * ```ts
 * import { pluginRefSchema } from '@vib/core';
 * pluginRefSchema.parse('laplace'); // { name: 'laplace' }
 * pluginRefSchema.parse({ name: 'laplace', config: { scale: 2 } });
 * ```
 */
export const pluginRefSchema = z.union([
  z.string().min(1).transform((name) => ({ name }) as { name: string; config?: unknown }),
  z.strictObject({
    /** The plugin's registered name. */
    name: z.string().min(1),
    /** The plugin's own config, checked against its schema. */
    config: z.unknown().optional(),
  }),
]);

/** A parsed plugin reference: a registered name and the plugin's own config. */
export type PluginRefConfig = z.output<typeof pluginRefSchema>;
/** A plugin reference as written: `"name"` or `{ name, config }`. */
export type PluginRefInput = z.input<typeof pluginRefSchema>;

/** Posterior families p(z|x) an encoder can output (see `PosteriorFamily`). */
export const posteriorFamilySchema = z.enum(['diagonal-gaussian', 'full-gaussian', 'squashed-gaussian']);

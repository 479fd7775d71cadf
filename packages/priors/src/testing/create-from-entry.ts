import { parseWithPath } from '@vib/core';
import type { Prior, PriorContext, PriorPlugin } from '@vib/core';

/**
 * Create a prior as the bottleneck does (tests only): its entry's schema validates the config once, and
 * `create` takes the parsed config.
 * @param plugin - the prior plugin
 * @param raw - its config as written
 * @param context - latent size and weight factory
 * @returns the prior
 */
export function createFromEntry<C>(plugin: PriorPlugin<C>, raw: unknown, context: PriorContext): Prior {
  return plugin.create(parseWithPath(plugin.configSchema, raw ?? {}, 'prior.config'), context);
}

import type { Registry } from '@vib/core';
import { createDefaultRegistry } from '@vib/kit';

/**
 * The registry the CLI resolves every name through: `@vib/kit`'s default registry (datasets, priors,
 * controllers, tasks, estimators, backends). A build of `vib` with extra plugins registers them here.
 * @returns a new registry with every built-in plugin
 */
export function createCliRegistry(): Registry {
  return createDefaultRegistry();
}

import { createRegistry, type Registry } from '@vib/core';
import { registerBackends } from '@vib/backends';
import { registerDatasets } from '@vib/data';
import { registerControllers } from '@vib/layers';
import { registerPriors } from '@vib/priors';
import { registerTasks } from '@vib/tasks';

/**
 * The registry the CLI resolves every name through: datasets, priors, controllers, tasks and backends.
 * (When `@vib/kit`'s `createDefaultRegistry()` lands, this becomes a one-line call to it.)
 * @returns a new registry with every built-in plugin
 */
export function createCliRegistry(): Registry {
  const registry = createRegistry();
  registerDatasets(registry);
  registerPriors(registry);
  registerControllers(registry);
  registerTasks(registry);
  registerBackends(registry);
  return registry;
}

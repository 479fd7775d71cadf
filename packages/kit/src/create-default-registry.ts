import { createRegistry, registerCore, type Registry } from '@vib/core';
import { registerBackends } from '@vib/backends';
import { registerDatasets } from '@vib/data';
import { registerControllers } from '@vib/layers';
import { registerPriors } from '@vib/priors';
import { registerTasks } from '@vib/tasks';

/**
 * Create a registry holding every plugin the `@vib` packages ship: priors, rate controllers,
 * tasks, datasets, MI estimators, adversarial attacks and backends.
 *
 * A third party adds its own plugins to the returned registry with its own `registerX(registry)`;
 * no `@vib` file changes.
 *
 * @returns a new, independent registry
 * @example
 * ```ts
 * import { createDefaultRegistry } from '@vib/kit';
 * const registry = createDefaultRegistry();
 * registry.names('prior'); // ['standard-normal', 'learnable-normal', 'uniform', 'laplace', 'mixture-of-gaussians', 'vamp']
 * ```
 */
export function createDefaultRegistry(): Registry {
  const registry = createRegistry();
  registerPriors(registry);
  registerControllers(registry);
  registerTasks(registry);
  registerDatasets(registry);
  registerCore(registry);
  registerBackends(registry);
  return registry;
}

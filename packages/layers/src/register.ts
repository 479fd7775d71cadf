import { defineCoreKinds, type ControllerPlugin, type Registry } from '@vib/core';
import { capacityController } from './controllers/capacity.js';
import { cyclicalController } from './controllers/cyclical.js';
import { dualAscentController } from './controllers/dual-ascent.js';
import { fixedController } from './controllers/fixed.js';
import { freeBitsController } from './controllers/free-bits.js';
import { hingeController } from './controllers/hinge.js';
import { warmupController } from './controllers/warmup.js';

/** The built-in rate controllers, in registration order. */
export const builtinControllers: readonly ControllerPlugin<any>[] = [
  fixedController,
  hingeController,
  capacityController,
  dualAscentController,
  freeBitsController,
  warmupController,
  cyclicalController,
];

/**
 * Register the built-in rate controllers under kind `controller`: `fixed`, `hinge`,
 * `capacity`, `dual-ascent`, `free-bits`, `warmup`, `cyclical`.
 * @param registry - the registry to fill
 * @throws {@link DuplicatePluginError} when one of these names is already registered as a controller
 * @example
 * ```ts
 * import { createRegistry } from '@vib/core';
 * import { registerControllers } from '@vib/layers';
 * const registry = createRegistry();
 * registerControllers(registry);
 * registry.get('controller', 'hinge').create({ lambda: 1, capacity: 2 });
 * ```
 */
export function registerControllers(registry: Registry): void {
  defineCoreKinds(registry);
  for (const plugin of builtinControllers) registry.register('controller', plugin);
}

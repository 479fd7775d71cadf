import { createRegistry, resolvePluginRef } from '@vib/core';
import type { ControllerContext, RateController } from '@vib/core';
import { registerControllers } from '../register.js';

const registry = createRegistry();
registerControllers(registry);

/**
 * Create a built-in controller as the bottleneck does (tests only): its registry entry validates the config
 * once (`resolvePluginRef`), and `create` takes the parsed config.
 * @param name - the controller's registered name
 * @param raw - its config as written
 * @param context - latent size and steps per epoch
 * @returns the controller
 */
export function createFromEntry(name: string, raw: unknown, context?: ControllerContext): RateController {
  const ref = resolvePluginRef(registry, 'controller', { name, config: raw }, 'controller');
  return registry.get('controller', name).create(ref.config, context);
}

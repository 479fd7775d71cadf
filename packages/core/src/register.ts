import type { Registry } from './registry/registry.js';
import { registerAttacks } from './attacks/register-attacks.js';
import { registerEstimators } from './estimators/plugins/register-estimators.js';
import { defineCoreKinds } from './plugins/kind-shapes.js';

/**
 * Register every plugin @vib/core ships into a registry: the MI estimators (`estimator` kind) and the
 * adversarial attacks (`attack` kind). The closed-form KL rules need no registration: every bottleneck's
 * KL dispatch starts from them and adds the registry's `kl` plugins (see `klRegistryFor`).
 *
 * Each `@vib/*` package registers its plugins from `src/register.ts`; this is core's.
 * @param registry - the registry to fill
 * @throws {@link DuplicatePluginError} when one of the names is already registered
 * @example
 * ```ts
 * import { createRegistry, registerCore } from '@vib/core';
 * const registry = createRegistry();
 * registerCore(registry);
 * registry.names('attack'); // ['fgsm', 'pgd', 'pgd-l2']
 * ```
 */
export function registerCore(registry: Registry): void {
  defineCoreKinds(registry);
  registerEstimators(registry);
  registerAttacks(registry);
}

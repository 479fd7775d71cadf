import type { Registry } from '../registry/registry.js';
import type { AttackPlugin } from '../plugins/attack-plugin.js';
import { fgsmAttack } from './fgsm.js';
import { pgdAttack, pgdL2Attack } from './pgd.js';

/** The built-in attacks, in registration order. */
export const builtInAttacks: readonly AttackPlugin<any>[] = [fgsmAttack, pgdAttack, pgdL2Attack];

/**
 * Register the built-in attacks (`fgsm`, `pgd`, `pgd-l2`) under kind `attack`.
 * @param registry - the registry to fill
 * @throws {@link DuplicatePluginError} when a name is taken
 * @example
 * ```ts
 * const registry = createRegistry();
 * registerAttacks(registry);
 * registry.get('attack', 'fgsm').norm; // 'linf'
 * ```
 */
export function registerAttacks(registry: Registry): void {
  for (const plugin of builtInAttacks) registry.register('attack', plugin);
}

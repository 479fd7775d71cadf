import type { Registry } from '../registry/registry.js';
import { ConfigError } from '../errors/config-error.js';
import { createKLRegistry } from './kl-registry.js';
import { typeNameOf } from './resolve.js';
import type { KLRegistry, KLRegistryOptions } from './kl-types.js';

/**
 * The KL dispatch a model built with `registry` uses: the built-in rules of `createKLRegistry`, then
 * every plugin of kind `kl` in `registry`, in registration order (a plugin's rule replaces a built-in
 * rule for the same pair). This is how a prior plugin's closed forms reach the bottleneck.
 * @param registry - the plugin registry the model is built with
 * @param options - default Monte Carlo sample count
 * @returns a new KL registry
 * @throws {@link ConfigError} when a plugin names an empty type, or two plugins give a rule for the same pair
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createRegistry, klRegistryFor } from '@vib/core';
 * const registry = createRegistry();
 * const rule = (p: { batchSize: number }) => ({ total: tf.zeros([p.batchSize]), perDim: null });
 * registry.register('kl', { name: 'A‖B', description: 'demo', p: 'A', q: 'B', rule });
 * klRegistryFor(registry).pairs(); // [..., 'A‖B']
 * ```
 */
export function klRegistryFor(registry: Registry, options: KLRegistryOptions = {}): KLRegistry {
  const kl = createKLRegistry(options);
  const byPair = new Map<string, string>();
  for (const plugin of registry.list('kl')) {
    const pair = `${typeNameOf(plugin.p)}‖${typeNameOf(plugin.q)}`;
    const before = byPair.get(pair);
    if (before !== undefined) {
      throw new ConfigError(
        `the kl plugins "${before}" and "${plugin.name}" both give a rule for ${pair}, and one would silently replace the other: register one of them`,
        { details: { field: 'kl', value: pair, plugins: [before, plugin.name] } },
      );
    }
    byPair.set(pair, plugin.name);
    kl.register(plugin.p, plugin.q, plugin.rule, { override: true });
  }
  return kl;
}

import { ConfigError, parseWithPath, resolvePluginRef } from '@vib/core';
import type { Registry } from '@vib/core';
import { experimentConfigSchema, type ExperimentConfig } from './experiment-config.js';

/**
 * Validate an experiment config and resolve its plugin names through a registry: the edge where a config
 * is parsed, once. What it returns flows down typed: the model, the bottleneck and the plugins take it as is.
 *
 * Fills defaults, folds the `beta` shorthand into a `fixed` controller, checks each plugin's own
 * config against its schema, and checks that the prior pairs with the posterior.
 * @param json - the raw config (parsed JSON)
 * @param registry - resolves dataset, prior, controller and task names
 * @returns the validated config
 * @throws {@link ConfigError} naming the field path, e.g. `controller.config.beta: ... got -1`
 * @throws {@link NoSuchPluginError} for an unknown plugin name, listing the registered ones
 * @example
 * ```ts
 * const config = parseExperimentConfig({ dataset: { name: 'mnist' }, beta: 1e-3 }, registry);
 * config.controller; // { name: 'fixed', config: { beta: 0.001 } }
 * ```
 */
export function parseExperimentConfig(json: unknown, registry: Registry): ExperimentConfig {
  if (registry === null || typeof registry !== 'object' || typeof (registry as Partial<Registry>).get !== 'function') {
    throw new ConfigError('parseExperimentConfig needs the plugin registry that resolves the config\'s names: pass createDefaultRegistry() from @vib/kit, or your own', {
      details: { field: 'registry' },
    });
  }
  const raw = parseWithPath(experimentConfigSchema, json, '');
  const { beta, controller, ...rest } = raw;
  if (beta !== undefined && controller !== undefined) {
    throw new ConfigError(
      `beta: give either "beta" (shorthand for the fixed controller) or "controller", not both; got beta=${beta} and controller "${controller.name}"`,
      { details: { field: 'beta', value: beta } },
    );
  }
  const controllerRef = controller ?? { name: 'fixed', config: { beta: beta ?? 1e-3 } };
  const prior = resolvePluginRef(registry, 'prior', rest.prior, 'prior');
  const priorPlugin = registry.get('prior', prior.name);
  if (!priorPlugin.posteriors.includes(rest.posterior)) {
    throw new ConfigError(
      `posterior: prior "${prior.name}" does not pair with "${rest.posterior}": use one of ${priorPlugin.posteriors.join(', ')}`,
      { details: { field: 'posterior', value: rest.posterior } },
    );
  }
  return {
    ...rest,
    dataset: resolvePluginRef(registry, 'dataset', rest.dataset, 'dataset'),
    prior,
    controller: resolvePluginRef(registry, 'controller', controllerRef, 'controller'),
    task: resolvePluginRef(registry, 'task', rest.task, 'task'),
  };
}

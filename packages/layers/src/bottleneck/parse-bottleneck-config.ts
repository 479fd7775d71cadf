import { ConfigError, parseWithPath, resolvePluginRef } from '@vib/core';
import type { Registry } from '@vib/core';
import { bottleneckConfigSchema, type BottleneckConfig } from './bottleneck-config.js';

/**
 * Parse a bottleneck configuration as written (library arguments, or a saved model's layer config): the
 * bottleneck's own schema, then the prior's and the controller's configs by their registry entries
 * (`resolvePluginRef`), then the pairing of prior and posterior (and the input shape a prior built from the
 * encoder needs). Done once, at the edge; the
 * {@link VIBBottleneck} takes the result as is, and so do the plugins it creates.
 * @param raw - the configuration as written
 * @param registry - resolves the prior and controller names
 * @returns the parsed configuration
 * @throws {@link ConfigError} naming the field, or a prior that does not pair with the posterior
 * @throws {@link NoSuchPluginError} when the prior or controller name is not registered
 */
export function parseBottleneckConfig(raw: unknown, registry: Registry): BottleneckConfig {
  const c = parseWithPath(bottleneckConfigSchema, raw, '');
  const prior = resolvePluginRef(registry, 'prior', c.prior, 'prior');
  const plugin = registry.get('prior', prior.name);
  if (!plugin.posteriors.includes(c.posterior)) {
    throw new ConfigError(
      `prior "${prior.name}" does not pair with posterior "${c.posterior}": use one of ${plugin.posteriors.join(', ')}`,
      { details: { field: 'posterior', value: c.posterior } },
    );
  }
  if (plugin.needsEncoder === true && c.encoderInput === undefined) {
    throw new ConfigError(
      `prior "${prior.name}" is built from the model's encoder, so the bottleneck needs encoderInput (the input's shape): build the model with buildVibModel`,
      { details: { field: 'encoderInput' } },
    );
  }
  return { ...c, prior, controller: resolvePluginRef(registry, 'controller', c.controller, 'controller') };
}

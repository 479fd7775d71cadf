import type { PluginShape } from '../registry/plugin-shape.js';
import type { Registry } from '../registry/registry.js';

const base = { name: 'string', description: 'string' } as const;

/**
 * The members each plugin kind @vib/core declares needs (see {@link Registry.defineKind}); optional members
 * are left out.
 */
export const CORE_KIND_SHAPES: Readonly<Record<'prior' | 'controller' | 'dataset' | 'estimator' | 'kl' | 'attack', PluginShape>> = {
  prior: { ...base, configSchema: 'schema', posteriors: 'array', create: 'function' },
  controller: { ...base, configSchema: 'schema', create: 'function' },
  dataset: { ...base, configSchema: 'schema', environments: 'array', load: 'function' },
  estimator: { ...base, input: 'string', configSchema: 'schema', estimate: 'function' },
  kl: { ...base, p: 'string', q: 'string', rule: 'function' },
  attack: { ...base, norm: 'string', configSchema: 'schema', create: 'function' },
};

/**
 * Define the shapes of the plugin kinds @vib/core declares in a registry, so that a plugin of one of them that
 * lacks a member it needs is refused when it is registered. Every `@vib` register function calls this.
 * @param registry - the registry
 * @throws {@link InvalidPluginError} when a plugin already registered does not fit its kind
 */
export function defineCoreKinds(registry: Registry): void {
  for (const [kind, shape] of Object.entries(CORE_KIND_SHAPES)) registry.defineKind(kind, shape);
}

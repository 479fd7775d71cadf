import { posteriorFamilySchema } from '../config/plugin-ref.js';
import type { PluginShape } from '../registry/plugin-shape.js';
import type { PluginValidator, Registry } from '../registry/registry.js';

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

const families = posteriorFamilySchema.options as readonly string[];

/** What the shapes cannot say about the kinds @vib/core declares: values from fixed lists, members a value calls for. */
export const CORE_KIND_CHECKS: Readonly<Partial<Record<keyof typeof CORE_KIND_SHAPES, PluginValidator>>> = {
  prior: (p) => {
    const posteriors = p['posteriors'] as unknown[];
    if (posteriors.length === 0) return [`posteriors is empty: list the posterior families the prior pairs with, the default first (${families.join(', ')})`];
    const unknown = posteriors.filter((f) => typeof f !== 'string' || !families.includes(f));
    return unknown.length === 0 ? [] : [`posteriors has ${unknown.map((f) => JSON.stringify(f)).join(', ')}, not a posterior family: use ${families.join(', ')}`];
  },
  estimator: (p) => {
    if (p['input'] !== 'activations' && p['input'] !== 'scores') return [`input is ${JSON.stringify(p['input'])}: it is 'activations' (recorded layer outputs and labels) or 'scores' (a critic's [B, B] score matrix)`];
    return p['input'] === 'scores' && typeof p['createObjective'] !== 'function' ? ["createObjective is missing (a function): an estimator of input 'scores' gives the objective its critic is trained on"] : [];
  },
};

/**
 * Define the shapes of the plugin kinds @vib/core declares in a registry, so that a plugin of one of them that
 * lacks a member it needs is refused when it is registered. Every `@vib` register function calls this.
 * @param registry - the registry
 * @throws {@link InvalidPluginError} when a plugin already registered does not fit its kind
 */
export function defineCoreKinds(registry: Registry): void {
  for (const [kind, shape] of Object.entries(CORE_KIND_SHAPES)) registry.defineKind(kind, shape, CORE_KIND_CHECKS[kind as keyof typeof CORE_KIND_SHAPES]);
}

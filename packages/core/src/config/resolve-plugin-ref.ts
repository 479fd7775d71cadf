import type { z } from 'zod';
import type { PluginKind } from '../registry/plugin.js';
import type { Registry } from '../registry/registry.js';
import { parseWithPath } from './parse-with-path.js';

/** A plugin reference whose config its plugin entry has validated (defaults filled in). */
export interface ResolvedPluginRef {
  /** The plugin's registered name. */
  readonly name: string;
  /** The plugin's config as its schema parsed it; pass it to the plugin's `create`/`load` as is. */
  readonly config: unknown;
}

/**
 * The one place a plugin's own config is validated: look the plugin up by name and parse the config with the
 * schema of its registry entry. What comes back is typed and complete, so layers and plugins receive it
 * without parsing it again (a plugin's `create` takes its parsed config).
 * @param registry - where the plugin is registered
 * @param kind - the plugin kind
 * @param ref - the reference as written (`{ name, config? }`)
 * @param field - where the reference sits in the whole config, for messages (e.g. `prior`)
 * @returns the name and the parsed config
 * @throws {@link NoSuchPluginError} for an unknown name, listing the registered ones
 * @throws {@link ConfigError} naming `<field>.config.<key>` when the config does not fit the schema
 * @example
 * ```ts
 * import { createRegistry, resolvePluginRef } from '@vib/core';
 * const registry = createRegistry();
 * // after registerPriors(registry):
 * // resolvePluginRef(registry, 'prior', { name: 'laplace' }, 'prior'); // { name: 'laplace', config: { scale: 1 } }
 * ```
 */
export function resolvePluginRef(
  registry: Registry,
  kind: PluginKind,
  ref: { readonly name: string; readonly config?: unknown },
  field: string,
): ResolvedPluginRef {
  const plugin = registry.get(kind, ref.name) as { configSchema?: z.ZodType };
  const config = plugin.configSchema === undefined ? ref.config : parseWithPath(plugin.configSchema, ref.config ?? {}, `${field}.config`);
  return { name: ref.name, config };
}
